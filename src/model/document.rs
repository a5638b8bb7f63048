//! A validated document: the fields every kind has, plus its kind's own typed fields.

use serde::Serialize;

use crate::diagnostic::{Code, one_line};

use super::agency_powers::AgencyPowers;
use super::case_review::CaseReview;
use super::date::Date;
use super::enums::{Closed, Kind, Marking, Status};
use super::facet::FacetName;
use super::order_record::OrderRecord;
use super::raw::RawLintAllow;
use super::validate::Ctx;
use super::vocab::VocabName;

/// A document that passed validation.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    /// Path relative to the repository root.
    pub path: String,
    /// The fields every kind has.
    #[serde(flatten)]
    pub common: Common,
    /// The kind's own fields.
    #[serde(flatten)]
    pub data: KindData,
    /// Byte offset of the markdown body in the file.
    #[serde(skip)]
    pub body_offset: usize,
    /// 1-based line where the body starts.
    #[serde(skip)]
    pub body_line: usize,
}

impl Document {
    /// The codes the document carries for `facet`, each once, in the order the document gives
    /// them: the one definition that search facets, browse pages, similarity and statistics
    /// read. An agency is a review's lead agency and the agencies involved, an order's owner
    /// and its management partners, an agency note's own agency. Markings and years are not
    /// codes of the document's own (none).
    pub fn codes(&self, facet: FacetName) -> Vec<String> {
        let mut out: Vec<String> = match (&self.data, facet) {
            (_, FacetName::Kind) => vec![self.common.kind.code().to_owned()],
            (KindData::CaseReview(r), FacetName::Area) => r.areas.clone(),
            (KindData::OrderRecord(o), FacetName::Area) => o.areas.clone(),
            (KindData::CaseReview(r), FacetName::Exploitation) => r.exploitation.clone(),
            (KindData::OrderRecord(o), FacetName::Exploitation) => o.exploitation.clone(),
            (KindData::CaseReview(r), FacetName::Agency) => std::iter::once(&r.lead_agency)
                .chain(r.agencies.iter().map(|a| &a.code))
                .cloned()
                .collect(),
            (KindData::OrderRecord(o), FacetName::Agency) => std::iter::once(&self.common.owner)
                .chain(o.management.iter().flat_map(|m| &m.partners))
                .cloned()
                .collect(),
            (KindData::AgencyPowers(a), FacetName::Agency) => vec![a.agency.clone()],
            (KindData::CaseReview(r), FacetName::Theme) => r.themes.clone(),
            (KindData::CaseReview(r), FacetName::Outcome) => vec![r.outcome.clone()],
            (KindData::CaseReview(r), FacetName::Grade) => {
                let mut grades: Vec<String> = r
                    .learning
                    .iter()
                    .map(|p| p.grade.code().to_owned())
                    .collect();
                grades.sort();
                grades
            }
            (KindData::CaseReview(r), FacetName::Offence) => {
                r.offences.iter().map(|o| o.code.clone()).collect()
            }
            (KindData::OrderRecord(o), FacetName::OrderType) => {
                vec![o.order_type.code().to_owned()]
            }
            (KindData::OrderRecord(o), FacetName::Prohibition) => o.prohibitions.clone(),
            (KindData::AgencyPowers(a), FacetName::Power) => {
                a.powers.iter().map(|p| p.power_type.clone()).collect()
            }
            _ => Vec::new(),
        };
        let mut seen = std::collections::HashSet::new();
        out.retain(|c| seen.insert(c.clone()));
        out
    }

    /// Its page on the site: `/reviews/CR-2024-007/`.
    pub fn url(&self) -> String {
        self.common.kind.url(&self.common.id)
    }

    /// The date the document is listed, sorted and counted under: a review's `review_date`,
    /// an order's month (made, else decided, else applied: the first of that month), an
    /// agency note's `last_verified`. None for an order that records no month.
    pub fn date(&self) -> Option<Date> {
        match &self.data {
            KindData::CaseReview(r) => Some(r.review_date),
            KindData::OrderRecord(o) => o.date().and_then(|m| Date::from_ymd(m.year, m.month, 1)),
            KindData::AgencyPowers(a) => Some(a.last_verified),
        }
    }

    /// The document's date as shown: `2021-09-22`, an order's `2021-09`, or `date not
    /// recorded`.
    pub fn date_text(&self) -> String {
        match &self.data {
            KindData::OrderRecord(o) => o
                .date()
                .map_or_else(|| NO_DATE.to_owned(), |m| m.to_string()),
            _ => self
                .date()
                .map_or_else(|| NO_DATE.to_owned(), |d| d.to_string()),
        }
    }
}

/// What a document with no recorded date shows for it.
pub(crate) const NO_DATE: &str = "date not recorded";

/// The fields of one kind.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum KindData {
    /// A case review.
    CaseReview(Box<CaseReview>),
    /// An order record.
    OrderRecord(Box<OrderRecord>),
    /// An agency powers note.
    AgencyPowers(Box<AgencyPowers>),
}

/// The fields every kind has (SCHEMA.md "Fields every kind has").
#[derive(Debug, Clone, Serialize)]
pub struct Common {
    /// `CR-2024-007`, `ORD-2020-001`, `AG-GLAA`.
    pub id: String,
    /// Which kind the document is.
    pub kind: Kind,
    /// 5–200 characters.
    pub title: String,
    /// Protective marking.
    pub marking: Marking,
    /// Handling instructions.
    pub handling: Vec<String>,
    /// Editorial status.
    pub status: Status,
    /// Agency that keeps it current.
    pub owner: String,
    /// When it was last reviewed.
    pub last_reviewed: Date,
    /// When it is next due for review.
    pub review_due: Option<Date>,
    /// Free kebab-case tags.
    pub tags: Vec<String>,
    /// Related document ids.
    pub related: Vec<String>,
    /// Sample content.
    pub fictional: bool,
    /// Texts the personal-data lint must not flag, with reasons.
    pub lint_allow: Vec<LintAllow>,
}

/// One allowed personal-data lookalike.
#[derive(Debug, Clone, Serialize)]
pub struct LintAllow {
    /// The exact text.
    #[serde(rename = "match")]
    pub text: String,
    /// Why it is allowed.
    pub reason: String,
}

/// The common fields as written (borrowed from whichever raw struct holds them).
pub(crate) struct RawCommon<'r> {
    /// `id`
    pub id: &'r Option<String>,
    /// `kind`
    pub kind: &'r Option<String>,
    /// `title`
    pub title: &'r Option<String>,
    /// `marking`
    pub marking: &'r Option<String>,
    /// `handling`
    pub handling: &'r Option<Vec<String>>,
    /// `status`
    pub status: &'r Option<String>,
    /// `owner`
    pub owner: &'r Option<String>,
    /// `last_reviewed`
    pub last_reviewed: &'r Option<String>,
    /// `review_due`
    pub review_due: &'r Option<String>,
    /// `tags`
    pub tags: &'r Option<Vec<String>>,
    /// `related`
    pub related: &'r Option<Vec<String>>,
    /// `fictional`
    pub fictional: &'r Option<bool>,
    /// `lint_allow`
    pub lint_allow: &'r Option<Vec<RawLintAllow>>,
}

/// Validates the common fields of a document found in `folder_kind`'s folder.
pub(crate) fn validate_common(
    ctx: &mut Ctx<'_>,
    raw: &RawCommon<'_>,
    folder_kind: Kind,
) -> Option<Common> {
    // The id is checked against the kind the document declares: in the wrong folder, the
    // folder is what is wrong (E022), not the id.
    let declared = raw
        .kind
        .as_deref()
        .and_then(Kind::from_code)
        .unwrap_or(folder_kind);
    let id = validate_id(ctx, raw.id, declared);
    let kind = validate_kind(ctx, raw.kind, folder_kind);
    let title = validate_title(ctx, raw.title);
    let marking = validate_marking(ctx, raw.marking);
    let status = ctx.required_closed::<Status>("status", raw.status);
    let owner = ctx.req_term(VocabName::Agencies, "owner", raw.owner);
    let last_reviewed = ctx.past_date("last_reviewed", raw.last_reviewed);
    let review_due = ctx.date("review_due", raw.review_due);
    if let Some(due) = review_due.filter(|d| *d < ctx.today) {
        let message = format!("review overdue: `review_due` was {due}");
        let hint = "review the document, then update `last_reviewed` and `review_due`".to_owned();
        ctx.report_hint(Code::ReviewOverdue, "review_due", message, hint);
    }
    let tags = validate_tags(ctx, raw.tags);
    let lint_allow = validate_lint_allow(ctx, raw.lint_allow);
    Some(Common {
        id: id?,
        kind: kind?,
        title: title?,
        marking: marking?,
        handling: raw.handling.clone().unwrap_or_default(),
        status: status?,
        owner: owner?,
        last_reviewed: last_reviewed?,
        review_due,
        tags,
        related: raw.related.clone().unwrap_or_default(),
        fictional: raw.fictional.unwrap_or(false),
        lint_allow,
    })
}

/// Checks the id's shape for its kind and that the file name starts with it.
fn validate_id(ctx: &mut Ctx<'_>, id: &Option<String>, kind: Kind) -> Option<String> {
    let id = ctx.required("id", id.as_ref())?.clone();
    if !id_shape_ok(&id, kind) {
        let example = match kind {
            Kind::CaseReview => "CR-YYYY-NNN, e.g. CR-2024-007",
            Kind::OrderRecord => "ORD-YYYY-NNN, e.g. ORD-2020-001",
            Kind::AgencyPowers => "AG-<agency code>, e.g. AG-GLAA",
        };
        let message = format!(
            "`id` is `{}`, which is not a valid {kind} id",
            one_line(&id)
        );
        ctx.report_hint(
            Code::InvalidId,
            "id",
            message,
            format!("expected {example}"),
        );
        return None;
    }
    let stem = file_stem(ctx.path);
    let matches = stem == id
        || stem
            .strip_prefix(id.as_str())
            .is_some_and(|rest| rest.starts_with('-') && rest.len() > 1);
    if !matches {
        let (id, stem) = (one_line(&id), one_line(stem));
        let message = format!("`id` is `{id}` but the file is named `{stem}.md`");
        let hint = format!("name the file `{id}.md` or `{id}-<slug>.md`, or correct the id");
        ctx.report_hint(Code::IdFileMismatch, "id", message, hint);
    }
    Some(id)
}

/// True when `id` has the shape of `kind`'s ids.
pub(crate) fn id_shape_ok(id: &str, kind: Kind) -> bool {
    let Some(rest) = id.strip_prefix(kind.id_prefix()) else {
        return false;
    };
    match kind {
        Kind::AgencyPowers => {
            !rest.is_empty()
                && rest.starts_with(|c: char| c.is_ascii_uppercase())
                && rest
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
        }
        _ => {
            // `get`, not `split_at`: byte 4 may fall inside a character (`CR-é€`).
            let Some((year, number)) = rest.get(..4).zip(rest.get(4..)) else {
                return false;
            };
            year.len() == 4
                && year.bytes().all(|b| b.is_ascii_digit())
                && number.len() >= 4
                && number.starts_with('-')
                && number[1..].bytes().all(|b| b.is_ascii_digit())
        }
    }
}

/// The kind whose id prefix `id` starts with, if any.
pub(crate) fn kind_of_id(id: &str) -> Option<Kind> {
    [Kind::CaseReview, Kind::OrderRecord, Kind::AgencyPowers]
        .into_iter()
        .find(|k| id_shape_ok(id, *k))
}

/// The file name without folder and `.md`.
fn file_stem(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.strip_suffix(".md").unwrap_or(name)
}

fn validate_kind(ctx: &mut Ctx<'_>, kind: &Option<String>, folder_kind: Kind) -> Option<Kind> {
    let kind: Kind = ctx.required_closed("kind", kind)?;
    if kind != folder_kind {
        let message = format!(
            "`kind` is `{kind}`, which belongs in `knowledge/{}/`, but the file is in `knowledge/{}/`",
            kind.folder(),
            folder_kind.folder()
        );
        let hint = format!(
            "move the file to `knowledge/{}/` or set `kind: {folder_kind}`",
            kind.folder()
        );
        ctx.report_hint(Code::KindMismatch, "kind", message, hint);
    }
    Some(folder_kind)
}

fn validate_title(ctx: &mut Ctx<'_>, title: &Option<String>) -> Option<String> {
    let title = ctx.required("title", title.as_ref())?;
    let chars = title.trim().chars().count();
    if !(5..=200).contains(&chars) {
        let message = format!("`title` has {chars} characters; it must have 5 to 200");
        ctx.report(Code::TitleLength, "title", message);
    }
    Some(title.trim().to_owned())
}

fn validate_marking(ctx: &mut Ctx<'_>, marking: &Option<String>) -> Option<Marking> {
    let value = ctx.required("marking", marking.as_ref())?;
    let letters: String = value
        .chars()
        .filter(char::is_ascii_alphabetic)
        .collect::<String>()
        .to_ascii_uppercase();
    if letters.contains("SECRET") {
        let message = format!(
            "marking `{value}` is refused: material above OFFICIAL-SENSITIVE must not be stored in Casebook"
        );
        let hint = "remove this document from the repository and handle it through your organisation's secure channels";
        ctx.report_hint(Code::MarkingRefused, "marking", message, hint.to_owned());
        return None;
    }
    if let Some(m) = Marking::from_code(value) {
        return Some(m);
    }
    let message = if value.trim().is_empty() {
        "`marking` is empty: every document carries a protective marking".to_owned()
    } else {
        format!(
            "`marking` is `{}`, which is not a protective marking Casebook accepts",
            one_line(value)
        )
    };
    let hint = match super::vocab::nearest(value, Marking::CODES.iter().copied()) {
        Some(n) => format!("did you mean `{n}`? allowed: OFFICIAL, OFFICIAL-SENSITIVE"),
        None => "allowed: OFFICIAL, OFFICIAL-SENSITIVE".to_owned(),
    };
    ctx.report_hint(Code::InvalidMarking, "marking", message, hint);
    None
}

fn validate_tags(ctx: &mut Ctx<'_>, tags: &Option<Vec<String>>) -> Vec<String> {
    let tags = tags.clone().unwrap_or_default();
    for (i, tag) in tags.iter().enumerate() {
        if !is_kebab(tag) {
            let message = format!("tag `{}` is not kebab-case", one_line(tag));
            let hint = "use lower-case words joined by hyphens, e.g. `hand-car-wash`".to_owned();
            ctx.report_hint(Code::InvalidTag, &format!("tags[{i}]"), message, hint);
        }
    }
    tags
}

/// Lower-case ASCII words joined by single hyphens.
pub(crate) fn is_kebab(s: &str) -> bool {
    !s.is_empty()
        && s.split('-').all(|w| {
            !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

fn validate_lint_allow(ctx: &mut Ctx<'_>, raw: &Option<Vec<RawLintAllow>>) -> Vec<LintAllow> {
    let mut out = Vec::new();
    for (i, entry) in raw.iter().flatten().enumerate() {
        let field = format!("lint_allow[{i}]");
        let text = ctx.required(&format!("{field}.match"), entry.text.clone());
        let reason = entry.reason.clone().filter(|r| !r.trim().is_empty());
        if reason.is_none() {
            let message =
                format!("`{field}.reason` is required: say why this text is not personal data");
            ctx.report(Code::LintAllowReason, &field, message);
        }
        if let (Some(text), Some(reason)) = (text, reason) {
            out.push(LintAllow { text, reason });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_shapes() {
        assert!(id_shape_ok("CR-2024-007", Kind::CaseReview));
        assert!(id_shape_ok("CR-2024-1042", Kind::CaseReview));
        assert!(id_shape_ok("AG-HMRC-NMW", Kind::AgencyPowers));
        assert!(id_shape_ok("ORD-2020-001", Kind::OrderRecord));
        for bad in [
            "CR-2024-07",
            "CR-24-007",
            "CR-2024-00x",
            "cr-2024-007",
            "ORD-2020-001",
            "CR-2024-",
        ] {
            assert!(!id_shape_ok(bad, Kind::CaseReview), "{bad}");
        }
        assert!(!id_shape_ok("AG-glaa", Kind::AgencyPowers));
        assert_eq!(kind_of_id("ORD-2021-002"), Some(Kind::OrderRecord));
        // Byte 4 inside a character: not an id, and no panic.
        for odd in [
            "CR-é€",
            "CR-20é",
            "ORD-€€€€-001",
            "CR-2024é-001",
            "CR-\u{10FFFF}",
        ] {
            assert_eq!(kind_of_id(odd), None, "{odd}");
        }
    }

    #[test]
    fn kebab_case() {
        assert!(is_kebab("hand-car-wash"));
        assert!(is_kebab("m25"));
        for bad in ["Hand", "a--b", "-a", "a_b", ""] {
            assert!(!is_kebab(bad), "{bad}");
        }
    }
}
