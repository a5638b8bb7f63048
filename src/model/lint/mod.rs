//! Personal-data lint: finds what must never be published (NI numbers, postcodes, vehicle
//! registrations, phone numbers, e-mail addresses, dates of birth, passport numbers, police, NRM
//! and court references, exact ages of children) in document text. Pure: no I/O, no knowledge of
//! files or diagnostics.
//!
//! Each kind is a look-around-free regex (two for child ages; the `regex` crate has no look-around)
//! plus a post-filter in code: NI prefixes, plate age identifiers, phone digit counts and the
//! never-flagged numbers, calendar sanity of dates, digit groupings of NRM references, age bands,
//! and keyword proximity for dates of birth, passport, crime and NRM numbers. Every candidate
//! except e-mail addresses is dropped when its text contains a whole-word pseudonym (`V1`, `S12`,
//! `W3`) or recommendation id (`R1`), so "S1 2AB" is not a postcode. A rejected candidate does not
//! hide a later one: the search resumes one character after its start. Postcodes, plates, NI
//! numbers and police references are case-sensitive.
//!
//! A finding never spans a line break: separators inside a value are horizontal whitespace (spaces,
//! tabs, no-break spaces), so ten lines of one digit each are not a phone number and a hard-wrapped
//! postcode is not caught. Keywords and the context a post-filter reads (an age band, a sentence)
//! may span lines. A phone number glued to a longer number by `.`, `-` or `_` (`18.08467273887`, a
//! file name such as `Screenshot_2016-03-29-15-40-12.jpg`) is part of that number, not a phone
//! number.
//!
//! Ages (patterns and filters in `child_age`): an exact age under 18 is a finding; a band is not.
//! A range (`13 to 17`, `4-8 years old`, `aged 13-18`, `between 13 and 17`) and an open band
//! (`aged 15 and older`, `15+`, `under 16`, `more than five years old`, `under the age of 16`) are
//! bands. Two ages joined by "and" or "or" (`aged 14 and 15`) stay findings: they usually give two
//! children's exact ages. Reaching an age (`turned 6 years old`, `turns 10 years old`) is said of
//! projects and organisations as often as of people, so it is a finding only with a person cue in
//! the same sentence: a pseudonym (`V1`, `S2`, `W3`), he, she, him, her, his, child, boy, girl,
//! son, daughter or victim (or their plurals). A sentence ends at `.`, `!` or `?` before
//! whitespace, or at a blank line; it may run over single line breaks.

use regex::Regex;

mod child_age;

/// What a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FindingKind {
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
    /// Eight or nine digits, or one or two capital letters, 6-9 digits and an optional closing
    /// letter (`P1234567A`), near the word `passport`.
    PassportNumber,
    /// PNC-style identifier (`12/345678A`) or crime reference number (`44/123456/21`).
    PoliceReference,
    /// A crime or case reference number near `crime reference`, `CRN` or `URN`.
    CrimeReference,
    /// An NRM referral reference number near `NRM` or `referral`, its digits grouped in any
    /// way (`1234-5678-90`, `NRM/2024/123456`).
    NrmReference,
    /// A Crown Court case number (`T20217001`).
    CourtCaseNumber,
    /// The exact age of a child (`aged 14`, `14-year-old`, `17yo`, `V10 (15)`).
    ChildAge,
}
impl FindingKind {
    /// Human label, e.g. "National Insurance number", "postcode", "vehicle registration", "vehicle registration (older style)", "phone number", "email address", "date of birth", "passport number", "police reference".
    pub(crate) fn label(self) -> &'static str {
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
            FindingKind::CrimeReference => "crime reference number",
            FindingKind::NrmReference => "NRM reference number",
            FindingKind::CourtCaseNumber => "court case number",
            FindingKind::ChildAge => "exact age of a child",
        }
    }

    /// What to do about a finding of this kind.
    pub(crate) fn hint(self) -> &'static str {
        match self {
            FindingKind::DateOfBirth => {
                "remove the date of birth; give an age band (18-24, under 18) if it matters"
            }
            FindingKind::ChildAge => {
                "an exact age can identify a child: use an age band such as \"under 18\" or \"mid-teens\""
            }
            FindingKind::PhoneNumber => {
                "remove the number; name the role or service instead (the Modern Slavery & Exploitation Helpline 08000 121 700 is allowed)"
            }
            FindingKind::Email => "remove the address; name the role or team instead",
            FindingKind::Postcode => {
                "give the district only (SO23) or the area, never a full postcode"
            }
            FindingKind::VehicleRegistration | FindingKind::OldVehicleRegistration => {
                "remove the registration; describe the vehicle (a white van) if it matters"
            }
            FindingKind::NiNumber => {
                "remove the number: a National Insurance number identifies a person"
            }
            FindingKind::PassportNumber => {
                "remove the number: a passport number identifies a person"
            }
            FindingKind::PoliceReference
            | FindingKind::CrimeReference
            | FindingKind::NrmReference
            | FindingKind::CourtCaseNumber => {
                "remove the reference number; cite the operation name or the Casebook id instead"
            }
        }
    }

    /// True for the kinds that are only warnings (OldVehicleRegistration); all others are errors.
    pub(crate) fn is_warning(self) -> bool {
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
            FindingKind::CourtCaseNumber => 5,
            FindingKind::CrimeReference => 6,
            FindingKind::NrmReference => 7,
            FindingKind::ChildAge => 8,
            FindingKind::PhoneNumber => 9,
            FindingKind::Postcode => 10,
            FindingKind::VehicleRegistration => 11,
            FindingKind::OldVehicleRegistration => 12,
        }
    }
}

/// One finding: byte range in the scanned text and what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Finding {
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

/// Passport number: eight or nine digits, or one or two capital letters, 6-9 digits and an
/// optional closing letter (the Philippine `P1234567A`); gated by [`PASSPORT_KEYWORD`].
const PASSPORT_NUMBER: &str = r"\b(?:[0-9]{8,9}|[A-Z]{1,2}[0-9]{6,9}[A-Z]?)\b";

/// Keyword that makes a nearby number a passport number.
const PASSPORT_KEYWORD: &str = r"(?i)passport";

/// PNC identifier (`12/345678A`) or crime reference number (`44/123456/21`). The middle part
/// of a crime reference has at least five digits, so dates and year lists never match.
const POLICE_REFERENCE: &str =
    r"\b(?:[0-9]{2,4}/[0-9]{5,7}[A-Z]|[0-9]{2,4}/[0-9]{5,8}/[0-9]{2,4})\b";

/// A crime or case reference: an optional force or system prefix, then 5-10 digits, then an
/// optional year part (gated by [`CRIME_KEYWORD`]).
const CRIME_REFERENCE: &str = r"\b(?:[0-9A-Z]{2,4}[/-]?)?[0-9]{5,10}(?:[/-][0-9]{2,4})?\b";

/// Keywords that make a nearby number a crime or case reference.
const CRIME_KEYWORD: &str =
    r"(?i)\b(?:crime\s+(?:reference|ref|number|no)|crn|urn|occurrence\s+(?:number|no))\b";

/// An NRM referral reference: an optional prefix, then up to six groups of digits joined by
/// a space, `-` or `/` (gated by [`NRM_KEYWORD`]; [`nrm_ok`] counts the digits).
const NRM_REFERENCE: &str = r"\b(?:[A-Z]{2,4}[/-]?)?[0-9]{1,12}(?:[ /-][0-9]{1,12}){0,5}\b";

/// Keywords that make a nearby number an NRM reference.
const NRM_KEYWORD: &str = r"(?i)\b(?:nrm|referrals?)\b";

/// A Crown Court case number: `T`, a four-digit year from 1990, four or more digits.
const COURT_CASE_NUMBER: &str = r"\bT\s?(?:199[0-9]|20[0-9]{2})\s?[0-9]{4,5}\b";

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

/// A match of a rule's pattern: its byte range in the scanned text, which post-filters that
/// read the context around it can see.
struct Hit<'t> {
    text: &'t str,
    start: usize,
    end: usize,
}

impl<'t> Hit<'t> {
    /// The matched text.
    fn as_str(&self) -> &'t str {
        &self.text[self.start..self.end]
    }

    /// The bytes of the text before the hit.
    fn bytes_before(&self) -> &'t [u8] {
        &self.text.as_bytes()[..self.start]
    }

    /// The bytes of the text after the hit.
    fn bytes_after(&self) -> &'t [u8] {
        &self.text.as_bytes()[self.end..]
    }
}

/// One pattern with its post-filter and, for context-gated kinds, its keyword.
struct Rule {
    kind: FindingKind,
    pattern: Regex,
    accept: fn(&Hit<'_>) -> bool,
    keyword: Option<Regex>,
}

/// Compiles a constant pattern with ASCII word boundaries: Unicode `\b` makes the regex crate
/// fall back to its slow engines on text holding `£` or `—` (about ten times slower). A
/// non-ASCII letter then counts as a separator, which can only add findings, never hide one.
fn compile(pattern: &str) -> Regex {
    Regex::new(&pattern.replace(r"\b", r"(?-u:\b)")).expect("constant lint pattern compiles")
}

/// Horizontal whitespace: Unicode `\s` without the line and paragraph breaks (`\n`, `\r`,
/// `\x0B`, `\x0C`, U+0085, U+2028, U+2029). Listed, not `[^\S\r\n]`: case folding of that
/// negated class makes a case-insensitive pattern take a hundred times longer to compile.
const HORIZONTAL_SPACE: &str = r"[\t \x{A0}\x{1680}\x{2000}-\x{200A}\x{202F}\x{205F}\x{3000}]";

/// Compiles a finding's pattern so that it never spans a line break: each `\s` becomes
/// [`HORIZONTAL_SPACE`] (a nested class inside a class, so `[\s-]` works too).
fn compile_one_line(pattern: &str) -> Regex {
    compile(&pattern.replace(r"\s", HORIZONTAL_SPACE))
}

impl Rule {
    /// A rule for `kind`: every match of `pattern` that `accept` keeps.
    fn new(kind: FindingKind, pattern: &str, accept: fn(&Hit<'_>) -> bool) -> Rule {
        Rule {
            kind,
            pattern: compile_one_line(pattern),
            accept,
            keyword: None,
        }
    }

    /// Restricts the rule to matches within [`KEYWORD_DISTANCE`] characters of `keyword`.
    fn near(mut self, keyword: &str) -> Rule {
        self.keyword = Some(compile(keyword));
        self
    }
}

/// The compiled patterns; build once (it is Sync) and reuse for every document.
pub(crate) struct Lint {
    rules: Vec<Rule>,
    id_token: Regex,
}

impl Lint {
    /// Compiles every pattern.
    pub(crate) fn new() -> Lint {
        use FindingKind as K;
        let rules = vec![
            Rule::new(K::NiNumber, NI_NUMBER, |h| ni_prefix_ok(h.as_str())),
            Rule::new(K::Postcode, POSTCODE, always),
            Rule::new(K::VehicleRegistration, VEHICLE_REGISTRATION, |h| {
                age_identifier_ok(h.as_str())
            }),
            Rule::new(K::OldVehicleRegistration, OLD_VEHICLE_REGISTRATION, always),
            Rule::new(K::PhoneNumber, PHONE_NUMBER, phone_ok),
            Rule::new(K::Email, EMAIL, always),
            Rule::new(K::DateOfBirth, &date_pattern(), |h| date_ok(h.as_str())).near(DOB_KEYWORD),
            Rule::new(K::PassportNumber, PASSPORT_NUMBER, always).near(PASSPORT_KEYWORD),
            Rule::new(K::PoliceReference, POLICE_REFERENCE, always),
            Rule::new(K::CrimeReference, CRIME_REFERENCE, |h| {
                has_five_digits(h.as_str())
            })
            .near(CRIME_KEYWORD),
            Rule::new(K::NrmReference, NRM_REFERENCE, nrm_ok).near(NRM_KEYWORD),
            Rule::new(K::CourtCaseNumber, COURT_CASE_NUMBER, always),
            Rule::new(K::ChildAge, &child_age::pattern(), child_age::accept),
            Rule::new(
                K::ChildAge,
                &child_age::bracketed(),
                child_age::accept_bracketed,
            ),
        ];
        let id_token = compile(ID_TOKEN);
        Lint { rules, id_token }
    }

    /// Scans `text`; returns findings sorted by start, not overlapping (when two patterns hit the same bytes keep the most specific/most serious one), excluding anything `allowed` (each allowed string is compared after the same normalisation as the finding: exact text, and for phone numbers by digits).
    pub(crate) fn scan(&self, text: &str, allowed: &[&str]) -> Vec<Finding> {
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
            let hit = Hit {
                text,
                start: m.start(),
                end: m.end(),
            };
            let accepted = (rule.accept)(&hit)
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

/// The patterns compiled once for the process (a server checks every rebuild, a hook every
/// commit: compiling them costs about 40 ms each time).
pub(crate) fn shared() -> &'static Lint {
    static LINT: std::sync::LazyLock<Lint> = std::sync::LazyLock::new(Lint::new);
    &LINT
}

/// Post-filter that accepts every match.
fn always(_: &Hit<'_>) -> bool {
    true
}

/// Crime reference post-filter: five digits or more in a row.
fn has_five_digits(found: &str) -> bool {
    found
        .split(|c: char| !c.is_ascii_digit())
        .any(|run| run.len() >= 5)
}

/// A four-digit year from 1990 to 2099.
fn is_year(digits: &str) -> bool {
    digits.len() == 4
        && digits
            .parse::<u32>()
            .is_ok_and(|y| (1990..=2099).contains(&y))
}

/// NRM reference post-filter: 6-12 digits in all, and not a grouping that reads as something
/// else. Refused: years alone (`2019/2020`, `20212022`), dates (`2021-03`, `12/03/2021`: a
/// year and groups of one or two digits, or only such groups), a year then a space (prose:
/// "in 2023 1234"), a Casebook id (`CR-2024-007`), the tail of a longer token
/// ([`is_token_tail`]), and a UK phone number (left to the phone rule, which knows the
/// numbers never flagged).
fn nrm_ok(hit: &Hit<'_>) -> bool {
    let found = hit.as_str();
    let digits: String = found.chars().filter(char::is_ascii_digit).collect();
    let groups: Vec<&str> = found
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .collect();
    let two_years = digits.len() == 8 && is_year(&digits[..4]) && is_year(&digits[4..]);
    let years_only = groups.iter().all(|g| is_year(g)) || two_years;
    let date_like = groups.iter().filter(|g| is_year(g)).count() <= 1
        && groups.iter().all(|g| g.len() <= 2 || is_year(g));
    let year_then_space = groups
        .iter()
        .any(|g| is_year(g) && found.contains(&format!("{g} ")));
    let document_id = ["CR-", "ORD-"].iter().any(|p| found.starts_with(p));
    let phone =
        groups.first().is_some_and(|g| g.starts_with('0')) && (10..=11).contains(&digits.len());
    (6..=12).contains(&digits.len())
        && !(years_only
            || date_like
            || year_then_space
            || document_id
            || is_token_tail(hit)
            || phone)
}

/// True when the hit is the tail of a longer token, what is left of it when the whole was
/// refused: joined by `-` or `/` to a word before it (`CR-2024-007`), or by a space to a
/// whole-word number before it (`2023 123456`, but not `V4 123456`).
fn is_token_tail(hit: &Hit<'_>) -> bool {
    match hit.bytes_before() {
        [.., w, b'-' | b'/'] => w.is_ascii_alphanumeric(),
        [rest @ .., b' '] if hit.as_str().starts_with(|c: char| c.is_ascii_digit()) => {
            let digits = rest.iter().rev().take_while(|b| b.is_ascii_digit()).count();
            let word = |b: &u8| b.is_ascii_alphanumeric() || *b == b'_';
            digits > 0 && !rest[..rest.len() - digits].last().is_some_and(word)
        }
        _ => false,
    }
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

/// Phone post-filter: 10-11 digits after normalisation, a real UK leading `0`, not one of
/// the numbers that are always allowed, and not part of a longer number.
fn phone_ok(hit: &Hit<'_>) -> bool {
    let digits = phone_digits(hit.as_str());
    (10..=11).contains(&digits.len())
        && digits.starts_with('0')
        && !digits.starts_with("00")
        && !NEVER_FLAGGED_PHONES.contains(&digits.as_str())
        && !glued_to_a_number(hit)
}

/// True when the hit continues a number: a digit and a `.`, `-` or `_` right before it, or
/// such a separator and a digit right after it (a decimal such as `18.08467273887`, a time
/// stamp in a file name such as `Screenshot_2016-03-29-15-40-12.jpg`). A `/` or `,` between
/// two numbers is a list (`023 8012 3456/07700 900123`), so it does not glue.
fn glued_to_a_number(hit: &Hit<'_>) -> bool {
    let glue = |b: &u8| matches!(b, b'.' | b'-' | b'_');
    matches!(hit.bytes_before(), [.., d, g] if d.is_ascii_digit() && glue(g))
        || matches!(hit.bytes_after(), [g, d, ..] if glue(g) && d.is_ascii_digit())
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
/// written with four digits), with the same separator twice in numeric forms. A match holding
/// letters is a written date (month name): its numbers are the day and the year. Numeric
/// day-first dates also accept month-first (`03/25/1990`).
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

/// True when the finding `start..end` lies wholly within [`KEYWORD_DISTANCE`] characters of
/// a keyword span (before or after it), or touches one.
fn near_keyword(text: &str, keywords: &[(usize, usize)], start: usize, end: usize) -> bool {
    // Keywords are in order and never overlap: only those within reach are looked at.
    let reach = 4 * KEYWORD_DISTANCE;
    let first = keywords.partition_point(|&(_, k_end)| k_end + reach < start);
    keywords[first..]
        .iter()
        .take_while(|&&(k_start, _)| k_start <= end + reach)
        .any(|&(k_start, k_end)| {
            let reach = if k_end <= start {
                k_end..end
            } else if end <= k_start {
                start..k_start
            } else {
                return true;
            };
            // A character is 1-4 bytes: count characters only when the byte length is ambiguous.
            match reach.len() {
                n if n <= KEYWORD_DISTANCE => true,
                n if n > 4 * KEYWORD_DISTANCE => false,
                _ => text[reach].chars().count() <= KEYWORD_DISTANCE,
            }
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
    // Kept findings by start: they never overlap, so a candidate overlaps one only if the
    // last starting at or before it reaches past its start, or one starts inside it. Two
    // lookups each, so a file with a hundred thousand candidates stays fast.
    let mut kept: std::collections::BTreeMap<usize, Finding> = std::collections::BTreeMap::new();
    for candidate in candidates {
        let before = kept
            .range(..=candidate.start)
            .next_back()
            .is_none_or(|(_, k)| k.end <= candidate.start);
        let inside = kept.range(candidate.start..candidate.end).next().is_some();
        if before && !inside {
            kept.insert(candidate.start, candidate);
        }
    }
    kept.into_values().collect()
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

#[cfg(test)]
mod tests;
