//! What `casebook new` and `casebook init` write: document skeletons whose every required
//! field holds a `TODO` placeholder under a comment listing the allowed codes, and the files of
//! a new content repository.

use crate::model::enums::{
    AgencyRole, Applicant, Basis, Closed, Court, Jurisdiction, LearningGrade, Marking, OrderStatus,
    OrderType, PerpetratorRole, ReviewFrequency, ReviewType,
};
use crate::model::vocab::{VocabName, Vocabulary};
use crate::model::{Date, Kind};

/// Width of the comment lines listing codes.
const WIDTH: usize = 96;

/// A document skeleton: front matter with placeholders, then the body's sections with a
/// one-line prompt each.
pub(crate) fn skeleton(
    kind: Kind,
    id: &str,
    title: Option<&str>,
    vocab: &Vocabulary,
    today: Date,
) -> String {
    let mut y = Yaml::default();
    y.line("---");
    y.line(&format!("id: {id}"));
    y.line(&format!("kind: {}", kind.code()));
    match title {
        Some(t) => y.line(&format!("title: {}", quoted(t))),
        None => y.todo("title", "a title of 5 to 200 characters"),
    }
    y.codes(
        "Protective marking: the most sensitive material in the document decides.",
        Marking::CODES,
    );
    y.todo("marking", "OFFICIAL or OFFICIAL-SENSITIVE");
    y.line("# draft until it has been reviewed; then in-review, then approved (only approved documents are published)");
    y.line("status: draft");
    match kind {
        Kind::CaseReview => case_review(&mut y, vocab, today),
        Kind::OrderRecord => order_record(&mut y, vocab, today),
        Kind::AgencyPowers => {}
    }
    y.out
}

/// An agency powers note for `code` (a code of the agency vocabulary).
pub(crate) fn agency_skeleton(
    code: &str,
    title: Option<&str>,
    vocab: &Vocabulary,
    today: Date,
) -> String {
    let name = vocab.label(VocabName::Agencies, code);
    let title = title.map_or_else(
        || format!("{name}: powers and how to engage"),
        str::to_owned,
    );
    let mut y = Yaml {
        out: skeleton(
            Kind::AgencyPowers,
            &format!("AG-{code}"),
            Some(&title),
            vocab,
            today,
        ),
    };
    y.out = skeleton(
        Kind::AgencyPowers,
        &format!("AG-{code}"),
        Some(&title),
        vocab,
        today,
    );
    y.line("# The agency that keeps this note current (usually the agency itself).");
    y.line(&format!("owner: {code}"));
    y.line(&format!("last_reviewed: {today}"));
    y.line("# tags: [free, kebab-case, tags]");
    y.line(&format!("agency: {code}"));
    y.line(&format!("name: {}", quoted(name)));
    y.codes("Where its powers run:", Jurisdiction::CODES);
    y.todo("jurisdiction", "where its powers run");
    y.todo(
        "remit",
        "one paragraph: what the agency is for and what it does in modern slavery cases",
    );
    y.line("# Each Act and section it relies on, with a one-line summary.");
    y.line("legal_bases:");
    y.todo("  - act", "the Act, e.g. Gangmasters (Licensing) Act 2004");
    y.todo("    section", "the section, e.g. s15");
    y.todo("    summary", "what the section allows, in one line");
    y.vocab(
        "Each power: its type, legal basis and whether a warrant is needed. Power types:",
        vocab,
        VocabName::PowerTypes,
    );
    y.line("powers:");
    y.todo("  - type", "power type code");
    y.todo(
        "    basis",
        "Act and section, e.g. Modern Slavery Act 2015 s114",
    );
    y.todo("    warrant_required", "true or false");
    y.line("    # notes: conditions and who exercises it (a role, never a name)");
    y.line("# Modern Slavery Act 2015 roles: NRM first responder, s52 duty to notify, STPO/STRO applicant.");
    y.todo("first_responder", "true or false");
    y.todo("duty_to_notify", "true or false");
    y.todo("order_applicant", "true or false");
    y.line("# How to engage them: a route and a role, never a person's name or number.");
    y.line("engagement:");
    y.todo(
        "  route",
        "how to reach them, e.g. through the force's single point of contact",
    );
    y.todo("  spoc_role", "the role to ask for");
    y.line("# limits: [\"what they cannot do, one line each\"]");
    y.todo(
        "last_verified",
        "the date the powers were last checked against the law, YYYY-MM-DD",
    );
    y.line("---");
    y.body(&[
        (
            "When to involve them",
            "the situations where this agency adds something to a modern slavery case",
        ),
        (
            "What they can do on a joint visit",
            "their powers on the day, and what they need to use them",
        ),
        (
            "What they need from police",
            "what to share and when, and how to ask",
        ),
    ]);
    y.out
}

fn case_review(y: &mut Yaml, vocab: &Vocabulary, today: Date) {
    y.vocab(
        "The agency that keeps this review current. Agency codes:",
        vocab,
        VocabName::Agencies,
    );
    y.todo("owner", "agency code");
    y.line(&format!("last_reviewed: {today}"));
    y.line("# tags: [free, kebab-case, tags]");
    y.todo(
        "operation",
        "the operation's pseudonym, e.g. Operation Kestrel Lane",
    );
    y.codes("Review type:", ReviewType::CODES);
    y.todo("review_type", "review type");
    y.line("# The agency that led the investigation (an agency code, as for owner).");
    y.todo("lead_agency", "agency code");
    y.line("investigation:");
    y.todo("  start", "month the investigation started, YYYY-MM");
    y.line("  # end: month it ended, YYYY-MM (leave out while it is ongoing)");
    y.todo(
        "review_date",
        "date of the review, YYYY-MM-DD (its year is the year in the id)",
    );
    y.vocab(
        "Areas (district or unitary codes; a reporting area for county-wide work):",
        vocab,
        VocabName::Areas,
    );
    y.line("areas:");
    y.todo("  -", "area code");
    y.vocab("Exploitation types:", vocab, VocabName::Exploitation);
    y.line("exploitation:");
    y.todo("  -", "exploitation type code");
    y.vocab(
        "Offences charged or considered, each with its outcome. Offence codes:",
        vocab,
        VocabName::Offences,
    );
    y.vocab("Outcome codes:", vocab, VocabName::Outcomes);
    y.line("offences:");
    y.todo("  - code", "offence code");
    y.todo("    outcome", "outcome code");
    y.line(
        "# Counts only, never names: adults + children = total; female + male may be given too,",
    );
    y.line("# and nationalities as ISO country codes with counts, e.g. {AL: 3, RO: 1}.");
    y.line("victims:");
    y.todo("  total", "number of victims");
    y.todo("  adults", "number of adult victims");
    y.todo("  children", "number of child victims");
    y.codes("Perpetrators: a total, their roles, and whether an organised crime group was involved. Roles:", PerpetratorRole::CODES);
    y.line("perpetrators:");
    y.todo("  total", "number of perpetrators");
    y.line("  roles:");
    y.todo("    -", "role");
    y.todo("  ocg", "true or false");
    y.vocab(
        "How the case came to notice. Referral sources:",
        vocab,
        VocabName::ReferralSources,
    );
    y.todo("referral_source", "referral source code");
    y.line("# nrm: {referrals: 4, positive_rg: 4, positive_cg: 3, dtn_ms1: 0, declined: 0}");
    y.line("# The overall result, an outcome code as for offences.");
    y.todo("outcome", "outcome code");
    y.line("# sentences: [{offence: offence code, custody_months: 48}]");
    y.line("# orders: [ORD-YYYY-NNN]  (order records made or sought in this case)");
    y.codes(
        "Every agency involved, with its role (the lead agency has role lead). Roles:",
        AgencyRole::CODES,
    );
    y.line("agencies:");
    y.todo("  - code", "the lead agency's code");
    y.line("    role: lead");
    y.vocab("Learning themes:", vocab, VocabName::Themes);
    y.line("themes:");
    y.todo("  -", "learning theme code");
    y.codes(
        "The learning, point by point, each graded by what shows it works (evidence needed for effective and ineffective):",
        LearningGrade::CODES,
    );
    y.line("learning:");
    y.line("  - id: L1");
    y.todo("    text", "one thing others should repeat, or avoid");
    y.line("    themes:");
    y.todo("      -", "one of this review's themes");
    y.todo("    grade", "how strongly it is shown to work");
    y.line("    # evidence: \"what in this case shows it worked (or did not)\"");
    y.line("# related_reviews:  (other statutory reviews of this case: cspr, lcspr, sar, dhr, scr, iopc, other)");
    y.line("#   - {type: sar, title: \"…\", board: \"…\", year: YYYY, url: \"https://…\"}");
    y.line("# recommendations:");
    y.line("#   - {id: R1, text: \"what should change\", owner: agency code, due: YYYY-MM, status: open}");
    y.line("---");
    y.body(&[
        (
            "Summary",
            "what happened, in three or four sentences; people as V1, S1, never by name",
        ),
        (
            "What worked",
            "what helped the investigation or the victims",
        ),
        ("What did not work", "what got in the way, and why"),
        ("Learning", "what others should do differently next time"),
    ]);
}

fn order_record(y: &mut Yaml, vocab: &Vocabulary, today: Date) {
    y.vocab(
        "The agency that keeps this record current. Agency codes:",
        vocab,
        VocabName::Agencies,
    );
    y.todo("owner", "agency code");
    y.line(&format!("last_reviewed: {today}"));
    y.codes("Order type:", OrderType::CODES);
    y.todo("order_type", "order type");
    y.codes("Statutory basis (s14 STPO on conviction, s15 STPO on application, s23 STRO, s21 interim STPO, s28 interim STRO):", Basis::CODES);
    y.todo("basis", "basis code");
    y.codes(
        "Who applied (leave out for an STPO made on conviction, s14):",
        Applicant::CODES,
    );
    y.todo("applicant", "applicant code");
    y.codes(
        "Court (s15, s23, s21, s28: magistrates, or youth for a subject under 18):",
        Court::CODES,
    );
    y.todo("court", "court code");
    y.codes(
        "Where the order stands (not made: considered-not-pursued, applied, refused, withdrawn):",
        OrderStatus::CODES,
    );
    y.todo("order_status", "order status code");
    y.line("# applied: YYYY-MM    decided: YYYY-MM (an order not made: when it was refused, withdrawn or considered)");
    y.line("# not_pursued_reason: \"why it was not sought\" (required for considered-not-pursued)");
    y.line(
        "# A made order: made, then duration_years (STPO 5 or more, STRO 2 or more) and expires",
    );
    y.line("# (= made + duration), or until_further_order: true; an interim order: expires only.");
    y.todo(
        "made",
        "month the order was made, YYYY-MM (leave out if it was not made)",
    );
    y.todo(
        "duration_years",
        "whole years (or replace with until_further_order: true)",
    );
    y.todo("expires", "month it expires, YYYY-MM");
    y.vocab(
        "Prohibitions (categories, never the order's wording):",
        vocab,
        VocabName::Prohibitions,
    );
    y.line("prohibitions:");
    y.todo("  -", "prohibition code");
    y.todo(
        "notification_requirement",
        "true or false (name and address notification, s19/s26)",
    );
    y.line("# foreign_travel: {scope: named-countries, years: 5, passport_surrender: false}");
    y.line("# subject: {key: S-XXXX, age_band: 25-34, sex: male}  (key: the partnership's pseudonymous subject key, the same on every record about one person)");
    y.line("# served: YYYY-MM    application: ORD-YYYY-NNN (on an interim order: the record of its main application)");
    y.vocab("Exploitation types:", vocab, VocabName::Exploitation);
    y.line("exploitation:");
    y.todo("  -", "exploitation type code");
    y.vocab("Areas:", vocab, VocabName::Areas);
    y.line("areas:");
    y.todo("  -", "area code");
    y.line("# case_review: CR-YYYY-NNN  (the review of the case, if there is one)");
    y.codes(
        "How a current order is managed (partners are agency codes). Review frequency:",
        ReviewFrequency::CODES,
    );
    y.line("management:");
    y.todo(
        "  lead_role",
        "the role that manages the subject, e.g. MOSOVO officer",
    );
    y.todo("  review_frequency", "review frequency");
    y.line("  partners:");
    y.todo("    -", "agency code");
    y.line("  # last_review: YYYY-MM  (the last management review held; the next is due a review period later)");
    y.line("# A prohibition with its own period: - {code: contact-named-persons, years: 5} or - {code: ..., until_further_order: true}");
    y.line("# breaches: [{month: YYYY-MM, prohibition: code, action: charged, outcome: pending}]  (action: warning, nfa, cautioned, charged; outcome: pending, convicted, acquitted, left-on-file, discontinued; custody_months on conviction)");
    y.line("# events: [{month: YYYY-MM, event: renewed, expires: YYYY-MM}]  (varied, renewed, discharged, appeal-allowed, appeal-dismissed; foreign-travel-extended with until: YYYY-MM)");
    y.line("---");
    y.body(&[
        (
            "Summary",
            "why the order was sought and what it does; the subject as S1, never by name",
        ),
        (
            "Learning",
            "what helped or hindered the application, for the next one",
        ),
    ]);
}

/// The files of a new content repository (path, contents), dated `today`.
pub(crate) fn repository(today: Date) -> Vec<(&'static str, String)> {
    let fill = |text: &str| {
        text.replace("{today}", &today.to_string())
            .replace("{this_month}", &today.month().to_string())
    };
    vec![
        ("casebook.toml", CONFIG.to_owned()),
        (".gitignore", GITIGNORE.to_owned()),
        ("README.md", README.to_owned()),
        ("knowledge/vocabulary.yaml", VOCABULARY.to_owned()),
        (
            "knowledge/reviews/CR-2024-001-example-car-wash.md",
            fill(EXAMPLE_REVIEW),
        ),
        ("knowledge/orders/ORD-2024-001.md", fill(EXAMPLE_ORDER)),
        ("knowledge/agencies/AG-GLAA.md", fill(EXAMPLE_AGENCY)),
    ]
}

const CONFIG: &str = include_str!("files/casebook.toml");

const GITIGNORE: &str = include_str!("files/gitignore");

const README: &str = include_str!("files/README.md");

const VOCABULARY: &str = include_str!("files/vocabulary.yaml");

const EXAMPLE_REVIEW: &str = include_str!("files/CR-2024-001-example-car-wash.md");

const EXAMPLE_ORDER: &str = include_str!("files/ORD-2024-001.md");

const EXAMPLE_AGENCY: &str = include_str!("files/AG-GLAA.md");

/// Front matter being written, line by line.
#[derive(Default)]
struct Yaml {
    out: String,
}

impl Yaml {
    fn line(&mut self, text: &str) {
        self.out.push_str(text);
        self.out.push('\n');
    }

    /// `key: "TODO: what"` (`key` may carry its indentation and `- `; `-` alone is a list item).
    fn todo(&mut self, key: &str, what: &str) {
        let value = quoted(&format!("TODO: {what}"));
        if key.trim_start() == "-" {
            self.line(&format!("{key} {value}"));
        } else {
            self.line(&format!("{key}: {value}"));
        }
    }

    /// A comment: `intro`, then the codes, wrapped.
    fn codes(&mut self, intro: &str, codes: &[&str]) {
        self.comment(intro, codes.iter().map(|c| (*c).to_owned()).collect());
    }

    /// A comment: `intro`, then every code of a vocabulary.
    fn vocab(&mut self, intro: &str, vocab: &Vocabulary, name: VocabName) {
        let codes = vocab.terms(name).iter().map(|t| t.code.clone()).collect();
        self.comment(intro, codes);
    }

    fn comment(&mut self, intro: &str, codes: Vec<String>) {
        self.line(&format!("# {intro}"));
        let mut line = String::from("#  ");
        for (i, code) in codes.iter().enumerate() {
            let piece = if i + 1 < codes.len() {
                format!(" {code},")
            } else {
                format!(" {code}")
            };
            if line.len() + piece.len() > WIDTH && line.len() > 3 {
                self.line(line.trim_end());
                line = String::from("#  ");
            }
            line.push_str(&piece);
        }
        if line.len() > 3 {
            self.line(&line);
        }
    }

    /// The body: each section with its prompt.
    fn body(&mut self, sections: &[(&str, &str)]) {
        for (heading, prompt) in sections {
            self.line("");
            self.line(&format!("## {heading}"));
            self.line("");
            self.line(&format!("TODO: {prompt}."));
        }
    }
}

/// A YAML double-quoted string.
fn quoted(text: &str) -> String {
    let escaped: String = text
        .chars()
        .flat_map(|c| match c {
            '"' => vec!['\\', '"'],
            '\\' => vec!['\\', '\\'],
            c if c.is_control() => vec![' '],
            c => vec![c],
        })
        .collect();
    format!("\"{escaped}\"")
}

/// A file-name slug of a title: lower-case ASCII words joined by `-`, at most 50 characters.
pub(crate) fn slug(title: &str) -> String {
    let mut out = String::new();
    for word in title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if out.len() + word.len() + 1 > 50 {
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&word.to_ascii_lowercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_short_ascii_words() {
        assert_eq!(
            slug("Operation Kestrel Lane: car washes — deep dive"),
            "operation-kestrel-lane-car-washes-deep-dive"
        );
        assert_eq!(slug("«»"), "");
        assert!(slug(&"word ".repeat(30)).len() <= 50);
    }

    #[test]
    fn quoting_escapes_what_yaml_needs() {
        assert_eq!(quoted("a \"b\" \\ c\nd"), "\"a \\\"b\\\" \\\\ c d\"");
    }
}
