//! Personal-data lint: finds what must never be published (NI numbers, postcodes, vehicle
//! registrations, phone numbers, e-mail addresses, dates of birth, passport numbers, police
//! references) in document text. Pure: no I/O, no knowledge of files or diagnostics.
//!
//! Each kind is one look-around-free regex (the `regex` crate has none) plus a post-filter in
//! code: NI prefixes, plate age identifiers, phone digit counts and the never-flagged numbers,
//! calendar sanity of dates, and keyword proximity for dates of birth and passport numbers.
//! Every candidate except e-mail addresses is dropped when its text contains a whole-word
//! pseudonym (`V1`, `S12`, `W3`) or recommendation id (`R1`), so "S1 2AB" is not a postcode.
//! A rejected candidate does not hide a later one: the search resumes one character after
//! its start. Postcodes, plates, NI numbers and police references are case-sensitive.

use regex::Regex;

/// What a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FindingKind {
    /// National Insurance number, e.g. `AB123456C`.
    NiNumber,
    /// Full UK postcode, e.g. `SO23 9AJ`.
    Postcode,
    /// Current-style (2001+) vehicle registration, e.g. `AB12 CDE`.
    VehicleRegistration,
    /// Older prefix (`A123 BCD`) or suffix (`ABC 123D`) registration; a warning only.
    OldVehicleRegistration,
    /// UK phone number, e.g. `023 8012 3456` or `+44 7700 900123`.
    PhoneNumber,
    /// E-mail address.
    Email,
    /// A full date near `DOB`, `d.o.b`, `born` or `date of birth`.
    DateOfBirth,
    /// Nine digits near the word `passport`.
    PassportNumber,
    /// PNC-style identifier (`12/345678A`) or crime reference number (`44/123456/21`).
    PoliceReference,
}

impl FindingKind {
    /// Human label, e.g. "National Insurance number", "postcode", "vehicle registration", "vehicle registration (older style)", "phone number", "email address", "date of birth", "passport number", "police reference".
    pub fn label(self) -> &'static str {
        match self {
            FindingKind::NiNumber => "National Insurance number",
            FindingKind::Postcode => "postcode",
            FindingKind::VehicleRegistration => "vehicle registration",
            FindingKind::OldVehicleRegistration => "vehicle registration (older style)",
            FindingKind::PhoneNumber => "phone number",
            FindingKind::Email => "email address",
            FindingKind::DateOfBirth => "date of birth",
            FindingKind::PassportNumber => "passport number",
            FindingKind::PoliceReference => "police reference",
        }
    }

    /// True for the kinds that are only warnings (OldVehicleRegistration); all others are errors.
    pub fn is_warning(self) -> bool {
        self == FindingKind::OldVehicleRegistration
    }

    /// Precedence when two findings overlap: lower wins (most specific, then most serious).
    fn rank(self) -> u8 {
        match self {
            FindingKind::Email => 0,
            FindingKind::NiNumber => 1,
            FindingKind::PoliceReference => 2,
            FindingKind::DateOfBirth => 3,
            FindingKind::PassportNumber => 4,
            FindingKind::PhoneNumber => 5,
            FindingKind::Postcode => 6,
            FindingKind::VehicleRegistration => 7,
            FindingKind::OldVehicleRegistration => 8,
        }
    }
}

/// One finding: byte range in the scanned text and what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// What was found.
    pub kind: FindingKind,
    /// Byte offset of the first byte of the finding.
    pub start: usize,
    /// Byte offset one past the last byte of the finding.
    pub end: usize,
}

/// NI number: first letter not D F I Q U V; second not D F I O Q U V; six digits optionally
/// spaced in pairs; suffix A-D. Refused prefixes are checked in [`ni_prefix_ok`].
const NI_NUMBER: &str =
    r"\b[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\s?[0-9]{2}\s?[0-9]{2}\s?[0-9]{2}\s?[A-D]\b";

/// Full UK postcode (MoJ LAA pattern with word boundaries); a district alone never matches.
const POSTCODE: &str = r"\b(?:[A-Z][A-HJ-Y]?[0-9][A-Z0-9]?\s?[0-9][A-Z]{2}|GIR\s?0AA)\b";

/// Current-style plate, DVLA letters; the age identifier is checked in [`age_identifier_ok`].
const VEHICLE_REGISTRATION: &str = r"\b[A-HJ-PR-Y]{2}[0-9]{2}\s?[A-HJ-PR-Z]{3}\b";

/// Older prefix (`A123 BCD`) and suffix (`ABC 123D`) plates. Year letters exclude I O Q U Z,
/// serial letters exclude I Q Z; only a space or tab may separate the parts (noisy pattern).
const OLD_VEHICLE_REGISTRATION: &str = r"\b(?:[A-HJ-NPR-TV-Y][0-9]{1,3}[ \t]?[A-HJ-PR-Y]{3}|[A-HJ-PR-Y]{3}[ \t]?[0-9]{1,3}[A-HJ-NPR-TV-Y])\b";

/// UK phone: `+44`/`0044` (optionally followed by `(0)` or `0`), `(0` or a leading `0`, then
/// 9-10 digits each optionally preceded by a space, dash or closing bracket.
const PHONE_NUMBER: &str =
    r"(?:(?:\+|\b00)44[\s-]?(?:\(0\)[\s-]?|0)?|\(0|\b0)(?:[\s-]?\)?[\s-]?[0-9]){9,10}\b";

/// E-mail address, case-insensitive.
const EMAIL: &str = r"(?i)[A-Z0-9._%+-]+@[A-Z0-9.-]+\.[A-Z]{2,}";

/// Month names and their usual abbreviations.
const MONTH: &str = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";

/// Keywords that make a nearby full date a date of birth.
const DOB_KEYWORD: &str = r"(?i)\b(?:dob|d\.o\.b|born|date\s+of\s+birth)\b";

/// Passport number: exactly nine digits (gated by [`PASSPORT_KEYWORD`]).
const PASSPORT_NUMBER: &str = r"\b[0-9]{9}\b";

/// Keyword that makes nine nearby digits a passport number.
const PASSPORT_KEYWORD: &str = r"(?i)passport";

/// PNC identifier (`12/345678A`) or crime reference number (`44/123456/21`). The middle part
/// of a crime reference has at least five digits, so dates and year lists never match.
const POLICE_REFERENCE: &str =
    r"\b(?:[0-9]{2,4}/[0-9]{5,7}[A-Z]|[0-9]{2,4}/[0-9]{5,8}/[0-9]{2,4})\b";

/// Pseudonym tokens (V, S, W) and recommendation ids (R): never part of a finding.
const ID_TOKEN: &str = r"\b[RSVW][0-9]{1,3}\b";

/// Maximum distance, in characters, between a keyword and a context-gated finding.
const KEYWORD_DISTANCE: usize = 40;

/// Numbers never flagged, as normalised digits: Modern Slavery Helpline, Crimestoppers.
const NEVER_FLAGGED_PHONES: [&str; 2] = ["08000121700", "0800555111"];

/// Full-date pattern: `12/03/1990`, `12.3.90`, `1990-03-12`, `12 March 1990`, `March 12, 1990`.
fn date_pattern() -> String {
    let ordinal = r"(?:st|nd|rd|th)?";
    format!(
        r"(?i)\b(?:[0-9]{{1,2}}[/.-][0-9]{{1,2}}[/.-][0-9]{{2}}(?:[0-9]{{2}})?|[0-9]{{4}}[/.-][0-9]{{1,2}}[/.-][0-9]{{1,2}}|[0-9]{{1,2}}{ordinal}\s+(?:of\s+)?{MONTH}\.?,?\s+[0-9]{{4}}|{MONTH}\.?\s+[0-9]{{1,2}}{ordinal},?\s+[0-9]{{4}})\b"
    )
}

/// One pattern with its post-filter and, for context-gated kinds, its keyword.
struct Rule {
    kind: FindingKind,
    pattern: Regex,
    accept: fn(&str) -> bool,
    keyword: Option<Regex>,
}

impl Rule {
    fn new(kind: FindingKind, pattern: &str, accept: fn(&str) -> bool) -> Rule {
        let pattern = Regex::new(pattern).expect("constant lint pattern compiles");
        Rule {
            kind,
            pattern,
            accept,
            keyword: None,
        }
    }

    fn near(mut self, keyword: &str) -> Rule {
        self.keyword = Some(Regex::new(keyword).expect("constant lint keyword compiles"));
        self
    }
}

/// The compiled patterns; build once (it is Sync) and reuse for every document.
pub struct Lint {
    rules: Vec<Rule>,
    id_token: Regex,
}

impl Lint {
    /// Compiles every pattern.
    pub fn new() -> Lint {
        use FindingKind as K;
        let rules = vec![
            Rule::new(K::NiNumber, NI_NUMBER, ni_prefix_ok),
            Rule::new(K::Postcode, POSTCODE, always),
            Rule::new(
                K::VehicleRegistration,
                VEHICLE_REGISTRATION,
                age_identifier_ok,
            ),
            Rule::new(K::OldVehicleRegistration, OLD_VEHICLE_REGISTRATION, always),
            Rule::new(K::PhoneNumber, PHONE_NUMBER, phone_ok),
            Rule::new(K::Email, EMAIL, always),
            Rule::new(K::DateOfBirth, &date_pattern(), date_ok).near(DOB_KEYWORD),
            Rule::new(K::PassportNumber, PASSPORT_NUMBER, always).near(PASSPORT_KEYWORD),
            Rule::new(K::PoliceReference, POLICE_REFERENCE, always),
        ];
        let id_token = Regex::new(ID_TOKEN).expect("constant lint pattern compiles");
        Lint { rules, id_token }
    }

    /// Scans `text`; returns findings sorted by start, not overlapping (when two patterns hit the same bytes keep the most specific/most serious one), excluding anything `allowed` (each allowed string is compared after the same normalisation as the finding: exact text, and for phone numbers by digits).
    pub fn scan(&self, text: &str, allowed: &[&str]) -> Vec<Finding> {
        let mut candidates = Vec::new();
        for rule in &self.rules {
            self.collect(rule, text, &mut candidates);
        }
        let mut findings = resolve_overlaps(candidates);
        findings.retain(|f| !is_allowed(f.kind, &text[f.start..f.end], allowed));
        findings
    }

    /// Appends every accepted, non-overlapping match of `rule` in `text` to `out`.
    fn collect(&self, rule: &Rule, text: &str, out: &mut Vec<Finding>) {
        let keywords: Vec<(usize, usize)> = match &rule.keyword {
            Some(re) => re.find_iter(text).map(|m| (m.start(), m.end())).collect(),
            None => Vec::new(),
        };
        if rule.keyword.is_some() && keywords.is_empty() {
            return;
        }
        let mut at = 0;
        while let Some(m) = rule.pattern.find_at(text, at) {
            let accepted = (rule.accept)(m.as_str())
                && (rule.kind == FindingKind::Email || !self.id_token.is_match(m.as_str()))
                && (rule.keyword.is_none() || near_keyword(text, &keywords, m.start(), m.end()));
            if accepted {
                out.push(Finding {
                    kind: rule.kind,
                    start: m.start(),
                    end: m.end(),
                });
                at = m.end();
            } else {
                at = next_char_boundary(text, m.start());
            }
        }
    }
}

impl Default for Lint {
    fn default() -> Self {
        Lint::new()
    }
}

/// Post-filter that accepts every match.
fn always(_: &str) -> bool {
    true
}

/// NI post-filter: refuses the prefixes never issued (BG GB NK KN TN NT ZZ).
fn ni_prefix_ok(found: &str) -> bool {
    const REFUSED: [&str; 7] = ["BG", "GB", "NK", "KN", "TN", "NT", "ZZ"];
    !REFUSED.iter().any(|prefix| found.starts_with(prefix))
}

/// Plate post-filter: the age identifier (digits 3-4) is never 00, 01 or 50.
fn age_identifier_ok(found: &str) -> bool {
    !matches!(found.get(2..4), Some("00" | "01" | "50"))
}

/// Phone post-filter: 10-11 digits after normalisation, a real UK leading `0`, and not one of
/// the numbers that are always allowed.
fn phone_ok(found: &str) -> bool {
    let digits = phone_digits(found);
    (10..=11).contains(&digits.len())
        && digits.starts_with('0')
        && !digits.starts_with("00")
        && !NEVER_FLAGGED_PHONES.contains(&digits.as_str())
}

/// The digits of a phone number with the international prefix (`+44`, `0044`, with an
/// optional `(0)`) read as the leading `0`; spaces, dashes and brackets are dropped.
fn phone_digits(text: &str) -> String {
    let text = text.trim();
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let national = if text.starts_with('+') {
        digits.strip_prefix("44")
    } else {
        digits.strip_prefix("0044")
    };
    match national {
        Some(rest) => format!("0{}", rest.strip_prefix('0').unwrap_or(rest)),
        None => digits,
    }
}

/// Date post-filter: a plausible calendar date (day 1-31, month 1-12, year 1900-2099 when
/// written with four digits), with the same separator twice in numeric forms.
fn date_ok(found: &str) -> bool {
    let numbers: Vec<&str> = found
        .split(|c: char| !c.is_ascii_digit())
        .filter(|part| !part.is_empty())
        .collect();
    let value = |part: &str| part.parse::<u32>().unwrap_or(0);
    let year_ok = |part: &str| part.len() == 2 || (1900..=2099).contains(&value(part));
    let day_ok = |part: &str| (1..=31).contains(&value(part));
    let month_ok = |part: &str| (1..=12).contains(&value(part));
    if found.chars().any(|c| c.is_ascii_alphabetic()) {
        return matches!(numbers.as_slice(), [day, year] if day_ok(day) && year_ok(year));
    }
    let separators: Vec<char> = found.chars().filter(|c| !c.is_ascii_digit()).collect();
    if separators.len() != 2 || separators[0] != separators[1] {
        return false;
    }
    match numbers.as_slice() {
        [year, month, day] if year.len() == 4 => year_ok(year) && month_ok(month) && day_ok(day),
        [a, b, year] => year_ok(year) && day_ok(a) && day_ok(b) && (month_ok(a) || month_ok(b)),
        _ => false,
    }
}

/// True when a keyword span lies within [`KEYWORD_DISTANCE`] characters of `start..end`.
fn near_keyword(text: &str, keywords: &[(usize, usize)], start: usize, end: usize) -> bool {
    keywords.iter().any(|&(k_start, k_end)| {
        let gap = if k_end <= start {
            &text[k_end..start]
        } else if end <= k_start {
            &text[end..k_start]
        } else {
            ""
        };
        gap.chars().count() <= KEYWORD_DISTANCE
    })
}

/// Byte offset of the character after the one starting at `at`.
fn next_char_boundary(text: &str, at: usize) -> usize {
    text[at..]
        .chars()
        .next()
        .map_or(text.len(), |c| at + c.len_utf8())
}

/// Keeps, among overlapping candidates, the highest-ranked (then longest, then earliest) one;
/// returns the survivors sorted by start.
fn resolve_overlaps(mut candidates: Vec<Finding>) -> Vec<Finding> {
    candidates.sort_by_key(|f| (f.kind.rank(), std::cmp::Reverse(f.end - f.start), f.start));
    let mut kept: Vec<Finding> = Vec::with_capacity(candidates.len());
    for candidate in candidates {
        if kept
            .iter()
            .all(|k| k.end <= candidate.start || candidate.end <= k.start)
        {
            kept.push(candidate);
        }
    }
    kept.sort_by_key(|f| f.start);
    kept
}

/// True when `found` (a finding of `kind`) is listed in `allowed`: same text (ignoring ASCII
/// case for e-mail addresses), or, for phone numbers, the same normalised digits.
fn is_allowed(kind: FindingKind, found: &str, allowed: &[&str]) -> bool {
    allowed.iter().map(|a| a.trim()).any(|a| {
        a == found
            || (kind == FindingKind::Email && a.eq_ignore_ascii_case(found))
            || (kind == FindingKind::PhoneNumber && phone_digits(a) == phone_digits(found))
    })
}
