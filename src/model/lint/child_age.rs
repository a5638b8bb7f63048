//! Exact ages of children: the patterns, and the post-filters that tell an exact age from an
//! age band and an age of a person from the age of a thing (see the rules in the parent
//! module's documentation). The context patterns are compiled once for the process.

use std::sync::LazyLock;

use regex::Regex;

use super::{Hit, compile};

/// Numbers written as words, for ages.
const AGE_WORDS: &str = "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty";

/// How far, in bytes, the band and "turned" patterns look before and after an age.
const BAND_REACH: usize = 48;

/// How far, in bytes, a sentence may reach on either side of an age.
const SENTENCE_REACH: usize = 320;

/// An age in figures or words.
fn number() -> String {
    format!("(?:[0-9]{{1,2}}|{AGE_WORDS})")
}

/// `aged 14`, `age 13`, `age of 13`, `14-year-old`, `14 years old`, `15 years of age`, `17yo`,
/// `17 y/o` (in figures or words); [`accept`] keeps ages under 18 that are not bands.
pub(super) fn pattern() -> String {
    let n = number();
    format!(
        r"(?i)\b(?:aged\s+{n}|age\s+(?:of\s+)?{n}|{n}[\s-](?:years?|yrs?)[\s-](?:old|of\s+age)|{n}\s?(?:yo|y/o|y\.o))\b"
    )
}

/// An age in brackets, `(15)`; [`accept_bracketed`] keeps it only right after a pseudonym.
pub(super) fn bracketed() -> String {
    format!(r"(?i)\({}\)", number())
}

/// The patterns that read the context of an age.
struct Context {
    /// Ends with what makes the age that follows a band: `under`, `more than`, `4-`, `13 to`,
    /// `between 13 and`, `under the`.
    band_before: Regex,
    /// Starts with what makes the age before it a band: `-18`, ` to 17`, ` and older`, `+`.
    band_after: Regex,
    /// Ends with a verb of reaching an age: `turned`, `turns`.
    reaching: Regex,
    /// A word that says a sentence is about a person.
    person: Regex,
    /// The end of a sentence: `.`, `!` or `?` before whitespace, or a blank line.
    sentence_end: Regex,
}

impl Context {
    fn new() -> Context {
        let n = number();
        Context {
            band_before: compile(&format!(
                r"(?i)(?:\b(?:under|over|below|above|than|least|most|beyond|up\s+to)\s+(?:the\s+)?|\bbetween\s+{n}\s+and\s+|\b{n}\s*(?:-\s*to|-|–|—|to)\s*)$"
            )),
            band_after: compile(&format!(
                r"(?i)^(?:\s*(?:years?|yrs?)(?:\s+old)?)?(?:\s*(?:\+|plus\b)|\s+(?:and|or)\s+(?:over|older|above|upwards?|up|under|younger|below|more|less)\b|\s*(?:-|–|—|to\b)\s*{n}\b)"
            )),
            reaching: compile(r"(?i)\bturn(?:s|ed|ing)?\s+$"),
            person: compile(
                r"(?i)\b(?:(?-i:[VSW][0-9]{1,3})|he|she|him|her|his|child(?:ren)?|boys?|girls?|sons?|daughters?|victims?)\b",
            ),
            sentence_end: compile(r"[.!?]\s|(?:\r?\n|\r)[^\S\r\n]*(?:\r?\n|\r)"),
        }
    }

    /// True when the age at `hit` is part of a range or an open band.
    fn is_band(&self, hit: &Hit<'_>) -> bool {
        let from = floor_boundary(hit.text, hit.start.saturating_sub(BAND_REACH));
        let to = floor_boundary(hit.text, (hit.end + BAND_REACH).min(hit.text.len()));
        self.band_before.is_match_at(&hit.text[..hit.start], from)
            || self.band_after.is_match(&hit.text[hit.end..to])
    }

    /// True when the age at `hit` follows `turned` (or `turns`, `turning`, `turn`).
    fn is_reached(&self, hit: &Hit<'_>) -> bool {
        let from = floor_boundary(hit.text, hit.start.saturating_sub(BAND_REACH));
        self.reaching.is_match_at(&hit.text[..hit.start], from)
    }

    /// True when the sentence holding `hit` names or refers to a person.
    fn has_person_cue(&self, hit: &Hit<'_>) -> bool {
        let text = hit.text;
        let from = floor_boundary(text, hit.start.saturating_sub(SENTENCE_REACH));
        let to = floor_boundary(text, (hit.end + SENTENCE_REACH).min(text.len()));
        let start = self
            .sentence_end
            .find_iter(&text[from..hit.start])
            .last()
            .map_or(from, |m| from + m.end());
        let end = self
            .sentence_end
            .find(&text[hit.end..to])
            .map_or(to, |m| hit.end + m.start());
        self.person.is_match_at(&text[..end], start)
    }
}

/// The context patterns, compiled on first use, once for the process.
static CONTEXT: LazyLock<Context> = LazyLock::new(Context::new);

/// The largest character boundary of `text` at or before `at`.
fn floor_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Post-filter of [`pattern`]: an age under 18 that is not a band, and, after "turned", only
/// in a sentence about a person.
pub(super) fn accept(hit: &Hit<'_>) -> bool {
    let context = &*CONTEXT;
    is_under_18(hit.as_str())
        && !context.is_band(hit)
        && (!context.is_reached(hit) || context.has_person_cue(hit))
}

/// Post-filter of [`bracketed`]: an age under 18 right after a whole-word pseudonym
/// (`V10 (15)`, `S2(16)`).
pub(super) fn accept_bracketed(hit: &Hit<'_>) -> bool {
    is_under_18(hit.as_str()) && follows_pseudonym(&hit.text[..hit.start])
}

/// True when `before` ends with a whole-word pseudonym (`V`, `S` or `W` and 1-3 digits),
/// then at most spaces or tabs.
fn follows_pseudonym(before: &str) -> bool {
    let token = before.trim_end_matches([' ', '\t']);
    let letters = token.trim_end_matches(|c: char| c.is_ascii_digit());
    let digits = token.len() - letters.len();
    let Some(rest) = letters.strip_suffix(['V', 'S', 'W']) else {
        return false;
    };
    (1..=3).contains(&digits) && !rest.ends_with(|c: char| c.is_alphanumeric() || c == '_')
}

/// True when the first number in `found` (figures first, else a number word) is under 18.
fn is_under_18(found: &str) -> bool {
    let figures: String = found
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(char::is_ascii_digit)
        .collect();
    let age = figures.parse::<usize>().ok().or_else(|| {
        let lower = found.to_ascii_lowercase();
        lower
            .split(|c: char| !c.is_ascii_alphabetic())
            .find_map(|w| AGE_WORDS.split('|').position(|x| x == w).map(|i| i + 1))
    });
    age.is_some_and(|a| a < 18)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_number_is_the_age() {
        assert!(is_under_18("aged 14"));
        assert!(is_under_18("17yo"));
        assert!(is_under_18("(15)"));
        assert!(is_under_18("Aged seventeen"));
        assert!(!is_under_18("aged eighteen"));
        assert!(!is_under_18("18 years old"));
        assert!(!is_under_18("aged"));
    }

    #[test]
    fn a_pseudonym_is_a_whole_word_before_the_brackets() {
        assert!(follows_pseudonym("V10 "));
        assert!(follows_pseudonym("and S2"));
        assert!(follows_pseudonym("(W123\t"));
        assert!(!follows_pseudonym("V1234 "));
        assert!(!follows_pseudonym("DV10 "));
        assert!(!follows_pseudonym("R1 "));
        assert!(!follows_pseudonym("V "));
        assert!(!follows_pseudonym("section "));
    }
}
