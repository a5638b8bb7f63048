//! Query text before tantivy sees it: control characters removed, length and bracket depth
//! capped (a deep enough bracket nest overflows the parser's stack, which no panic handler
//! can catch), and friendly `area:`/`agency:`/`theme:`/`type:` aliases turned into facet
//! filters. Pure: no tantivy.

use crate::model::FacetName;
use unicode_normalization::UnicodeNormalization;

/// Longest query accepted, in bytes.
pub const MAX_QUERY_BYTES: usize = 256;
/// Deepest bracket nesting accepted.
pub const MAX_DEPTH: usize = 16;

/// A facet clause written in the query text (`area:portsmouth`, `-agency:GLAA`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct AliasClause {
    /// Which facet.
    pub facet: FacetName,
    /// The code written.
    pub value: String,
    /// `-` in front: exclude.
    pub negated: bool,
}

/// The query split into text for tantivy's parser and facet clauses.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Prepared {
    /// What tantivy parses.
    pub text: String,
    /// Facet clauses taken out of the text.
    pub aliases: Vec<AliasClause>,
    /// Word prefixes (`interp*`), lower-cased, with `true` when excluded (`-interp*`).
    pub prefixes: Vec<(String, bool)>,
    /// Fuzzy words (`interpreter~1`): the word, its edit distance (1 or 2), and `true` when
    /// excluded.
    pub fuzzy: Vec<(String, u8, bool)>,
    /// Bare years (`2021`): they raise documents of that year rather than being required.
    pub years: Vec<i64>,
    /// The words of `text`, one per top-level token (phrases whole).
    pub tokens: Vec<String>,
    /// The query asks what works ("what works for interpreters"): reviews with learning
    /// graded effective or promising come first.
    pub what_works: bool,
    /// What was changed or ignored, for the user.
    pub warnings: Vec<String>,
}

/// Prepares raw query text.
pub(super) fn prepare(raw: &str) -> Prepared {
    let mut warnings = Vec::new();
    let mut text: String = raw
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if text.len() > MAX_QUERY_BYTES {
        let mut cut = MAX_QUERY_BYTES;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
        warnings.push(format!(
            "the query was cut to its first {MAX_QUERY_BYTES} bytes"
        ));
    }
    if depth(&text) > MAX_DEPTH {
        text = text.replace(['(', ')', '[', ']', '{', '}'], " ");
        warnings.push(format!(
            "brackets nested more than {MAX_DEPTH} deep were ignored"
        ));
    }
    // Full-width and other compatibility forms read as their plain letters, and statute
    // references as the one term the index holds (`section 45` → `s45`).
    let text: String = text.nfkc().collect();
    let text = super::analysis::compact_statute_references(&text);
    let mut kept = Vec::new();
    let mut aliases = Vec::new();
    let mut prefixes = Vec::new();
    let mut fuzzy = Vec::new();
    let mut years = Vec::new();
    let mut all = tokens(&text);
    // "What works" (or worked) asks for learning shown to work: said by a boost, not searched
    // for as the word "works".
    let mut what_works = false;
    if let Some(i) = all.windows(2).position(|w| {
        w[0].eq_ignore_ascii_case("what")
            && matches!(
                w[1].trim_end_matches(['?', ',', '.'])
                    .to_ascii_lowercase()
                    .as_str(),
                "works" | "worked" | "work"
            )
    }) {
        what_works = true;
        all.remove(i + 1);
    }
    // Question words ("who can … a …") are not required and not highlighted, unless the query
    // has nothing else.
    let asking = all.iter().any(|t| !is_question_word(t));
    for token in all {
        if asking && is_question_word(&token) {
            continue;
        }
        let token = match token.strip_suffix('?') {
            Some(t) if !t.is_empty() && !token.starts_with('"') => t.to_owned(),
            _ => token,
        };
        if let Some(clause) = alias(&token) {
            aliases.push(clause);
        } else if let Some(p) = prefix(&token) {
            prefixes.push(p);
        } else if let Some(f) = fuzzy_word(&token) {
            fuzzy.push(f);
        } else if let Some(y) = year(&token) {
            years.push(y);
        } else {
            kept.push(token);
        }
    }
    Prepared {
        text: kept.join(" "),
        aliases,
        prefixes,
        fuzzy,
        years,
        tokens: kept,
        what_works,
        warnings,
    }
}

/// Words of a question that say nothing about what is sought: "who can close a premises?"
/// searches for `close premises`. Lower case only: `AND`, `OR` and `NOT` are operators.
const QUESTION_WORDS: &[&str] = &[
    "a", "an", "and", "any", "are", "at", "be", "by", "can", "could", "do", "does", "for", "from",
    "has", "have", "how", "i", "in", "is", "it", "may", "of", "on", "or", "our", "should", "the",
    "their", "them", "there", "they", "this", "to", "we", "what", "when", "where", "which", "who",
    "whom", "why", "will", "with", "without", "would", "you",
];

/// True when `token` is a bare question word (not quoted, not a field, not `+`/`-`).
pub(super) fn is_question_word(token: &str) -> bool {
    let word = token.trim_end_matches(['?', ',', '.', '!']);
    let mut chars = word.chars();
    // `who` or `Who`, never `OR`.
    let cased = chars.next().is_some_and(char::is_alphabetic) && chars.all(char::is_lowercase);
    cased && QUESTION_WORDS.contains(&word.to_lowercase().as_str())
}

/// Deepest nesting of brackets of any kind.
pub fn depth(text: &str) -> usize {
    let (mut depth, mut max) = (0usize, 0usize);
    for c in text.chars() {
        match c {
            '(' | '[' | '{' => {
                depth += 1;
                max = max.max(depth);
            }
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

/// Whitespace-separated tokens, keeping double-quoted phrases whole.
fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                current.push(c);
            }
            c if c.is_whitespace() && !quoted => {
                if !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
            }
            c => current.push(c),
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// A fuzzy word, if `token` is one (`interpreter~1`, `-interpretor~2`): letters then `~1` or
/// `~2`.
fn fuzzy_word(token: &str) -> Option<(String, u8, bool)> {
    let (negated, rest) = match token.as_bytes().first() {
        Some(b'-') => (true, &token[1..]),
        Some(b'+') => (false, &token[1..]),
        _ => (false, token),
    };
    let (word, distance) = rest.rsplit_once('~')?;
    let distance: u8 = distance.parse().ok().filter(|d| (1..=2).contains(d))?;
    let ok = word.chars().count() >= 3 && word.chars().all(char::is_alphanumeric);
    ok.then(|| (word.to_lowercase(), distance, negated))
}

/// A bare year from 1990 to 2099 (`2021`), if `token` is one.
fn year(token: &str) -> Option<i64> {
    let y: i64 = token.parse().ok()?;
    (token.len() == 4 && (1990..=2099).contains(&y)).then_some(y)
}

/// A word prefix, if `token` is one (`interp*`, `-interp*`): two or more letters or digits
/// then `*`.
fn prefix(token: &str) -> Option<(String, bool)> {
    let (negated, rest) = match token.as_bytes().first() {
        Some(b'-') => (true, &token[1..]),
        Some(b'+') => (false, &token[1..]),
        _ => (false, token),
    };
    let stem = rest.strip_suffix('*')?;
    let ok = stem.chars().count() >= 2 && stem.chars().all(char::is_alphanumeric);
    ok.then(|| (stem.to_lowercase(), negated))
}

/// A facet clause, if `token` is one (`area:x`, `+agency:x`, `-theme:x`).
fn alias(token: &str) -> Option<AliasClause> {
    let (negated, rest) = match token.as_bytes().first() {
        Some(b'-') => (true, &token[1..]),
        Some(b'+') => (false, &token[1..]),
        _ => (false, token),
    };
    let (name, value) = rest.split_once(':')?;
    let facet = match name.to_ascii_lowercase().as_str() {
        "area" => FacetName::Area,
        "agency" => FacetName::Agency,
        "theme" => FacetName::Theme,
        "type" | "exploitation" => FacetName::Exploitation,
        "kind" => FacetName::Kind,
        "outcome" => FacetName::Outcome,
        "grade" => FacetName::Grade,
        "power" => FacetName::Power,
        "order" | "order_type" => FacetName::OrderType,
        _ => return None,
    };
    let value = value.trim_matches('"');
    (!value.is_empty()).then(|| AliasClause {
        facet,
        value: value.to_owned(),
        negated,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_become_facet_clauses() {
        let p = prepare(
            "interpreters area:portsmouth -agency:GLAA \"joint visit\" year:[2020 TO 2023]",
        );
        assert_eq!(p.text, "interpreters \"joint visit\" year:[2020 TO 2023]");
        assert_eq!(p.aliases.len(), 2);
        assert_eq!(
            p.aliases[1],
            AliasClause {
                facet: FacetName::Agency,
                value: "GLAA".into(),
                negated: true
            }
        );
        assert!(p.warnings.is_empty());
        let p = prepare("interp* -lab* a* title:x*");
        assert_eq!(
            p.prefixes,
            vec![("interp".to_owned(), false), ("lab".to_owned(), true)]
        );
        assert_eq!(p.text, "a* title:x*");
    }

    #[test]
    fn years_fuzzy_words_statutes_and_wide_letters_are_read() {
        let p = prepare("deep dive 2021 interpreter~1 section 45");
        assert_eq!(p.text, "deep dive s45");
        assert_eq!(p.years, vec![2021]);
        assert_eq!(p.fuzzy, vec![("interpreter".to_owned(), 1, false)]);
        assert_eq!(prepare("ｉｎｔｅｒｐｒｅｔｅｒｓ").text, "interpreters");
        // Not years, not fuzzy: numbers of other lengths, a phrase's slop.
        let p = prepare("450 \"same community\"~2 12345");
        assert_eq!(p.text, "450 \"same community\"~2 12345");
        assert!(p.years.is_empty() && p.fuzzy.is_empty());
    }

    #[test]
    fn question_words_are_not_required() {
        assert_eq!(prepare("who can close a premises?").text, "close premises");
        assert_eq!(prepare("Who can apply for an STPO?").text, "apply STPO");
        // Operators, phrases and a query of nothing else are left alone.
        assert_eq!(prepare("GLAA OR HMRC").text, "GLAA OR HMRC");
        assert_eq!(prepare("\"who can\" visit").text, "\"who can\" visit");
        assert_eq!(prepare("the").text, "the");
        assert_eq!(prepare("-the labour").text, "-the labour");
    }

    #[test]
    fn caps_length_depth_and_control_characters() {
        let long = prepare(&"x".repeat(100_000));
        assert_eq!(long.text.len(), MAX_QUERY_BYTES);
        assert_eq!(long.warnings.len(), 1);
        let deep = prepare(&format!("{}a", "(".repeat(20)));
        assert_eq!(deep.text, "a");
        let expected = vec!["brackets nested more than 16 deep were ignored".to_owned()];
        assert_eq!(deep.warnings, expected);
        let huge = prepare(&"(".repeat(800));
        assert_eq!((huge.text.as_str(), huge.warnings.len()), ("", 2));
        assert_eq!(prepare("x\u{0}y\u{b}z").text, "x y z");
        let multibyte = prepare(&"é".repeat(200));
        assert!(multibyte.text.len() <= MAX_QUERY_BYTES);
    }
}
