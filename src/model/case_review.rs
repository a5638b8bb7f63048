//! `case_review`: a deep-dive audit or debrief of a modern slavery investigation.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::diagnostic::{Code, one_line};

use super::countries;
use super::date::{Date, Month};
use super::enums::{
    AgencyRole, Closed, LearningGrade, PerpetratorRole, RecommendationStatus, RelatedReviewType,
    ReviewType,
};
use super::raw::{
    RawCaseReview, RawLearning, RawNrm, RawPerpetrators, RawRecommendation, RawRelatedReview,
    RawVictims,
};
use super::validate::Ctx;
use super::vocab::VocabName;

/// A validated case review.
#[derive(Debug, Clone, Serialize)]
pub struct CaseReview {
    /// Partnership pseudonym for the operation.
    pub operation: String,
    /// What kind of review.
    pub review_type: ReviewType,
    /// Agency that led the investigation.
    pub lead_agency: String,
    /// When the investigation ran.
    pub investigation: Investigation,
    /// When the review was done.
    pub review_date: Date,
    /// Area codes.
    pub areas: Vec<String>,
    /// Exploitation codes.
    pub exploitation: Vec<String>,
    /// Offences investigated and their outcomes.
    pub offences: Vec<Offence>,
    /// Victim counts.
    pub victims: Counts,
    /// Perpetrator counts.
    pub perpetrators: Perpetrators,
    /// Where the case came from.
    pub referral_source: String,
    /// National Referral Mechanism figures.
    pub nrm: Option<Nrm>,
    /// Overall result.
    pub outcome: String,
    /// Custodial sentences.
    pub sentences: Vec<Sentence>,
    /// Linked order records.
    pub orders: Vec<String>,
    /// Agencies involved.
    pub agencies: Vec<Involvement>,
    /// Learning themes.
    pub themes: Vec<String>,
    /// The learning points, graded: those of `learning`, then any `good_practice` of the earlier
    /// form, read as `untested` points of the review's themes.
    pub learning: Vec<LearningPoint>,
    /// Other statutory reviews the case connects to.
    pub related_reviews: Vec<RelatedReview>,
    /// Recommendations with owners.
    pub recommendations: Vec<Recommendation>,
}

/// One learning point of a review, graded by what shows it works.
#[derive(Debug, Clone, Serialize)]
pub struct LearningPoint {
    /// `L1`, `L2`… (`G1`, `G2`… for points read from `good_practice`).
    pub id: String,
    /// The point.
    pub text: String,
    /// The learning themes it belongs to (each also one of the review's themes).
    pub themes: Vec<String>,
    /// How strongly it is shown to work.
    pub grade: LearningGrade,
    /// What shows it (required for `effective` and `ineffective`).
    pub evidence: Option<String>,
}

/// Another statutory review the case connects to.
#[derive(Debug, Clone, Serialize)]
pub struct RelatedReview {
    /// What kind of review.
    #[serde(rename = "type")]
    pub kind: RelatedReviewType,
    /// Its title.
    pub title: String,
    /// The partnership or board that published it.
    pub board: String,
    /// The year it was published.
    pub year: u32,
    /// Where it is published (https only).
    pub url: Option<String>,
}

/// `investigation`: start and (unless ongoing) end month.
#[derive(Debug, Clone, Serialize)]
pub struct Investigation {
    /// First month.
    pub start: Month,
    /// Last month; none while ongoing.
    pub end: Option<Month>,
}

/// One offence and its outcome.
#[derive(Debug, Clone, Serialize)]
pub struct Offence {
    /// Offence code.
    pub code: String,
    /// Outcome code.
    pub outcome: String,
}

/// Victim counts.
#[derive(Debug, Clone, Serialize)]
pub struct Counts {
    /// How many.
    pub total: u32,
    /// Adults, if known.
    pub adults: Option<u32>,
    /// Children, if known.
    pub children: Option<u32>,
    /// Female, if known.
    pub female: Option<u32>,
    /// Male, if known.
    pub male: Option<u32>,
    /// By ISO 3166 alpha-2 nationality.
    pub nationalities: BTreeMap<String, u32>,
}

/// Perpetrator counts.
#[derive(Debug, Clone, Serialize)]
pub struct Perpetrators {
    /// How many.
    pub total: u32,
    /// By nationality.
    pub nationalities: BTreeMap<String, u32>,
    /// Roles played.
    pub roles: Vec<PerpetratorRole>,
    /// Organised crime group involved.
    pub ocg: Option<bool>,
}

/// NRM figures.
#[derive(Debug, Clone, Serialize)]
pub struct Nrm {
    /// Referrals made.
    pub referrals: Option<u32>,
    /// Positive reasonable-grounds decisions.
    pub positive_rg: Option<u32>,
    /// Positive conclusive-grounds decisions.
    pub positive_cg: Option<u32>,
    /// Duty-to-notify (MS1) reports.
    pub dtn_ms1: Option<u32>,
    /// Adults who declined a referral.
    pub declined: Option<u32>,
}

/// One custodial sentence.
#[derive(Debug, Clone, Serialize)]
pub struct Sentence {
    /// Offence code (one of the review's offences).
    pub offence: String,
    /// Months in custody.
    pub custody_months: u32,
}

/// One agency's part in the investigation.
#[derive(Debug, Clone, Serialize)]
pub struct Involvement {
    /// Agency code.
    pub code: String,
    /// Its role.
    pub role: AgencyRole,
}

/// One recommendation.
#[derive(Debug, Clone, Serialize)]
pub struct Recommendation {
    /// `R1`, `R2`…
    pub id: String,
    /// What should be done.
    pub text: String,
    /// Agency that owns it.
    pub owner: String,
    /// Month it is due.
    pub due: Month,
    /// Progress.
    pub status: RecommendationStatus,
    /// Open or in progress, and due before the current month.
    pub overdue: bool,
}

/// Validates a case review's own fields.
pub(crate) fn validate(ctx: &mut Ctx<'_>, raw: &RawCaseReview) -> Option<CaseReview> {
    let operation = ctx.text("operation", &raw.operation);
    let review_type = ctx.required_closed("review_type", &raw.review_type);
    let lead_agency = ctx.req_term(VocabName::Agencies, "lead_agency", &raw.lead_agency);
    let investigation = investigation(ctx, raw);
    let review_date = review_date(ctx, raw, investigation.as_ref());
    let areas = ctx.terms(VocabName::Areas, "areas", &raw.areas, true);
    let exploitation = ctx.terms(
        VocabName::Exploitation,
        "exploitation",
        &raw.exploitation,
        true,
    );
    let offences = offences(ctx, raw);
    if let Some(i) = &investigation {
        before_commencement(ctx, raw, i, &offences);
        agencies_in_existence(ctx, raw, i);
    }
    let victims = ctx
        .required("victims", raw.victims.as_ref())
        .and_then(|v| victims(ctx, v));
    let perpetrators = ctx
        .required("perpetrators", raw.perpetrators.as_ref())
        .and_then(|p| perpetrators(ctx, p));
    let referral_source = ctx.req_term(
        VocabName::ReferralSources,
        "referral_source",
        &raw.referral_source,
    );
    let nrm = raw.nrm.as_ref().map(|n| nrm(ctx, n, victims.as_ref()));
    let outcome = ctx.req_term(VocabName::Outcomes, "outcome", &raw.outcome);
    let sentences = sentences(ctx, raw, &offences);
    let orders = raw.orders.clone().unwrap_or_default();
    let agencies = agencies(ctx, raw, lead_agency.as_deref());
    let themes = ctx.terms(VocabName::Themes, "themes", &raw.themes, true);
    let recommendations = recommendations(ctx, raw.recommendations.as_deref().unwrap_or(&[]));
    let learning = learning(ctx, raw, &themes);
    let related_reviews = related_reviews(ctx, raw.related_reviews.as_deref().unwrap_or(&[]));
    Some(CaseReview {
        operation: operation?,
        review_type: review_type?,
        lead_agency: lead_agency?,
        investigation: investigation?,
        review_date: review_date?,
        areas,
        exploitation,
        offences,
        victims: victims?,
        perpetrators: perpetrators?,
        referral_source: referral_source?,
        nrm,
        outcome: outcome?,
        sentences,
        orders,
        agencies,
        themes,
        learning,
        related_reviews,
        recommendations,
    })
}

fn investigation(ctx: &mut Ctx<'_>, raw: &RawCaseReview) -> Option<Investigation> {
    let inv = ctx.required("investigation", raw.investigation.as_ref())?;
    let start = ctx.required("investigation.start", inv.start.as_ref());
    let start = start.and(ctx.month("investigation.start", &inv.start));
    let end = ctx.month("investigation.end", &inv.end);
    if let (Some(s), Some(e)) = (start, end)
        && e < s
    {
        let message = format!("`investigation.end` ({e}) is before `investigation.start` ({s})");
        ctx.report(Code::DateOrder, "investigation.end", message);
    }
    Some(Investigation { start: start?, end })
}

fn review_date(
    ctx: &mut Ctx<'_>,
    raw: &RawCaseReview,
    inv: Option<&Investigation>,
) -> Option<Date> {
    ctx.required("review_date", raw.review_date.as_ref())?;
    let date = ctx.date("review_date", &raw.review_date)?;
    if let Some(inv) = inv
        && date.month() < inv.start
    {
        let field = ctx.later("investigation.start", "review_date");
        let message = format!(
            "`review_date` ({date}) is before `investigation.start` ({})",
            inv.start
        );
        ctx.report(Code::DateOrder, field, message);
    }
    let id_year = raw
        .id
        .as_deref()
        .and_then(|id| id.get(3..7))
        .and_then(|y| y.parse::<i32>().ok());
    if let Some(year) = id_year.filter(|y| *y != date.year()) {
        let field = ctx.later("id", "review_date");
        let message =
            format!("the year in `id` ({year}) is not the year of `review_date` ({date})");
        let hint = format!(
            "a case review's id carries the year of its review: CR-{}-NNN",
            date.year()
        );
        ctx.report_hint(Code::IdYearMismatch, field, message, hint);
    }
    Some(date)
}

fn offences(ctx: &mut Ctx<'_>, raw: &RawCaseReview) -> Vec<Offence> {
    let Some(list) = ctx.required("offences", raw.offences.as_ref()) else {
        return Vec::new();
    };
    if list.is_empty() {
        ctx.report(
            Code::EmptyList,
            "offences",
            "`offences` needs at least one offence",
        );
    }
    let mut out = Vec::new();
    for (i, o) in list.iter().enumerate() {
        let code = ctx.req_term(VocabName::Offences, &format!("offences[{i}].code"), &o.code);
        let outcome = ctx.req_term(
            VocabName::Outcomes,
            &format!("offences[{i}].outcome"),
            &o.outcome,
        );
        if let (Some(code), Some(outcome)) = (code, outcome) {
            out.push(Offence { code, outcome });
        }
    }
    out
}

/// An agency took part in an investigation only while it existed: one formed (or renamed)
/// after the investigation ended, or gone before it began, is named with a warning that gives
/// its predecessor or successor. A review written today may use a partner's current name, so
/// this never blocks a commit.
fn agencies_in_existence(ctx: &mut Ctx<'_>, raw: &RawCaseReview, investigation: &Investigation) {
    if investigation
        .end
        .is_some_and(|end| end < investigation.start)
    {
        return; // the reversed dates are reported; they say nothing about which body it was
    }
    let mut named: Vec<(String, &str)> = Vec::new();
    if let Some(code) = raw.lead_agency.as_deref() {
        named.push(("lead_agency".to_owned(), code));
    }
    for (i, a) in raw.agencies.iter().flatten().enumerate() {
        if let Some(code) = a.code.as_deref() {
            named.push((format!("agencies[{i}].code"), code));
        }
    }
    for (field, code) in named {
        if let Some((message, hint)) = outside_its_years(ctx, &field, code, investigation) {
            ctx.report_hint(Code::AgencyOutsideItsYears, &field, message, hint);
        }
    }
}

/// The warning's message and hint when `code` names a body outside the investigation's months.
fn outside_its_years(
    ctx: &Ctx<'_>,
    field: &str,
    code: &str,
    investigation: &Investigation,
) -> Option<(String, String)> {
    let vocab = ctx.vocab;
    let (from, until) = vocab.agency_lifetime(code);
    let label = vocab.label(VocabName::Agencies, code);
    let (before, after) = vocab.agency_lineage(code);
    let named = |terms: &[&crate::model::vocab::Term]| {
        terms
            .iter()
            .map(|t| format!("`{}` ({})", t.code, t.label))
            .collect::<Vec<_>>()
            .join(" or ")
    };
    match (from, until, investigation.end) {
        (Some(from), _, Some(end)) if end < from => {
            let message = format!(
                "`{field}` is `{code}` ({label}), a name in use from {from}, after the investigation ended ({end})"
            );
            let hint = if before.is_empty() {
                "name the body that did this work at the time (a partnership adds former agencies to `knowledge/vocabulary.yaml` with `until`)".to_owned()
            } else {
                format!("at the time this was {}", named(&before))
            };
            Some((message, hint))
        }
        (_, Some(until), _) if investigation.start > until => {
            let message = format!(
                "`{field}` is `{code}` ({label}), which ceased in {until}, before the investigation began ({})",
                investigation.start
            );
            let hint = match after {
                Some(t) => format!("by then it was `{}` ({})", t.code, t.label),
                None => "name the body that did this work at the time".to_owned(),
            };
            Some((message, hint))
        }
        _ => None,
    }
}

/// The first month the Modern Slavery Act 2015's offences could cover: they apply to conduct
/// from 31 July 2015.
const MSA_OFFENCES_FROM: (i32, u32) = (2015, 7);

/// The offences that MSA 2015 Schedule 1 lists for conduct before 31 July 2015 (a relevant
/// offender, s16), which a review of earlier conduct uses instead of the Act's own: trafficking
/// for sexual exploitation (Sexual Offences Act 2003 ss57-59A) and committing an offence with
/// intent to commit a sexual offence (s62), traffic in prostitution (Nationality, Immigration
/// and Asylum Act 2002 s145), trafficking for exploitation (Asylum and Immigration (Treatment
/// of Claimants, etc.) Act 2004 s4), and slavery, servitude and forced or compulsory labour
/// (Coroners and Justice Act 2009 s71). Each is in the built-in vocabulary.
pub(crate) const EARLIER_OFFENCES: &[&str] = &[
    "SOA2003-s57",
    "SOA2003-s58",
    "SOA2003-s58A",
    "SOA2003-s59",
    "SOA2003-s59A",
    "SOA2003-s62",
    "NIAA2002-s145",
    "AITCA2004-s4",
    "CJA2009-s71",
];

/// A case whose investigation ended before the Act's offences came into force cannot have
/// been charged under them: the [`EARLIER_OFFENCES`] apply.
fn before_commencement(
    ctx: &mut Ctx<'_>,
    raw: &RawCaseReview,
    investigation: &Investigation,
    offences: &[Offence],
) {
    let (year, month) = MSA_OFFENCES_FROM;
    let Some(end) = investigation.end else {
        return;
    };
    if (end.year, end.month) >= (year, month) {
        return;
    }
    for (i, o) in raw.offences.iter().flatten().enumerate() {
        let Some(code) = o.code.as_deref() else {
            continue;
        };
        let is_msa = ["MSA2015-s1", "MSA2015-s2", "MSA2015-s4"].contains(&code)
            && offences.iter().any(|x| x.code == code);
        if is_msa {
            let field = format!("offences[{i}].code");
            let message = format!(
                "`{field}` is `{code}`, but the investigation ended in {end}, before the Modern Slavery Act 2015 offences came into force (31 July 2015)"
            );
            let hint = match EARLIER_OFFENCES.split_last() {
                Some((last, rest)) => {
                    format!(
                        "earlier conduct is charged under {} or {last}",
                        rest.join(", ")
                    )
                }
                None => String::new(),
            };
            let at = ctx.later("investigation.end", &field);
            ctx.report_hint(Code::OffenceBeforeCommencement, at, message, hint);
        }
    }
}

fn victims(ctx: &mut Ctx<'_>, v: &RawVictims) -> Option<Counts> {
    let total = ctx.required("victims.total", v.total)?;
    let sum = |a: Option<u32>, b: Option<u32>| Some(a? + b?);
    if let Some(s) = sum(v.adults, v.children).filter(|s| *s != total) {
        let field = ctx.later("victims.adults", "victims.children");
        let message =
            format!("`victims.adults` + `victims.children` ({s}) is not `victims.total` ({total})");
        ctx.report(Code::CountMismatch, field, message);
    }
    let known = v.female.unwrap_or(0) + v.male.unwrap_or(0);
    if known > total {
        let field = ctx.later("victims.female", "victims.male");
        let message = format!(
            "`victims.female` + `victims.male` ({known}) is more than `victims.total` ({total})"
        );
        ctx.report(Code::CountMismatch, field, message);
    }
    let nationalities = nationalities(ctx, "victims", &v.nationalities, total);
    Some(Counts {
        total,
        adults: v.adults,
        children: v.children,
        female: v.female,
        male: v.male,
        nationalities,
    })
}

fn nationalities(
    ctx: &mut Ctx<'_>,
    parent: &str,
    map: &Option<BTreeMap<String, u32>>,
    total: u32,
) -> BTreeMap<String, u32> {
    let map = map.clone().unwrap_or_default();
    for code in map.keys().filter(|c| !countries::is_country(c)) {
        let field = format!("{parent}.nationalities.{code}");
        let message = format!(
            "`{}` is not an ISO 3166-1 alpha-2 country code",
            one_line(code)
        );
        let hint = match super::vocab::nearest(code, countries::codes()) {
            Some(n) if code.eq_ignore_ascii_case(n) => format!("did you mean `{n}`? codes are upper case"),
            _ => "use the two-letter ISO code, e.g. `AL` for Albania, `VN` for Viet Nam, `GB` for the UK".to_owned(),
        };
        ctx.report_hint(Code::InvalidValue, &field, message, hint);
    }
    let sum: u32 = map.values().sum();
    if sum > total {
        let field = format!("{parent}.nationalities");
        let message =
            format!("the `{field}` counts add up to {sum}, more than `{parent}.total` ({total})");
        ctx.report(Code::CountMismatch, &field, message);
    }
    map
}

fn perpetrators(ctx: &mut Ctx<'_>, p: &RawPerpetrators) -> Option<Perpetrators> {
    let total = ctx.required("perpetrators.total", p.total)?;
    let nationalities = nationalities(ctx, "perpetrators", &p.nationalities, total);
    let mut roles = Vec::new();
    for (i, r) in p.roles.iter().flatten().enumerate() {
        let role: Option<PerpetratorRole> =
            ctx.closed(&format!("perpetrators.roles[{i}]"), &Some(r.clone()));
        roles.extend(role);
    }
    Some(Perpetrators {
        total,
        nationalities,
        roles,
        ocg: p.ocg,
    })
}

fn nrm(ctx: &mut Ctx<'_>, n: &RawNrm, victims: Option<&Counts>) -> Nrm {
    let pairs = [
        (
            "nrm.positive_rg",
            n.positive_rg,
            "nrm.referrals",
            n.referrals,
        ),
        (
            "nrm.positive_cg",
            n.positive_cg,
            "nrm.positive_rg",
            n.positive_rg,
        ),
    ];
    for (field, value, bound_field, bound) in pairs {
        if let (Some(v), Some(b)) = (value, bound)
            && v > b
        {
            let message = format!("`{field}` ({v}) is greater than `{bound_field}` ({b})");
            let at = ctx.later(field, bound_field);
            ctx.report(Code::CountMismatch, at, message);
        }
    }
    // Only adults can decline a referral, and an MS1 is the adult's anonymous notification:
    // neither can exceed the adult victims.
    if let Some(adults) = victims.and_then(|v| v.adults) {
        for (field, value, what) in [
            (
                "nrm.declined",
                n.declined,
                "only adults can decline a referral",
            ),
            (
                "nrm.dtn_ms1",
                n.dtn_ms1,
                "an MS1 notification is made for adults only",
            ),
        ] {
            if let Some(v) = value.filter(|v| *v > adults) {
                let message =
                    format!("`{field}` ({v}) is greater than `victims.adults` ({adults})");
                let hint = format!("{what}: children always go into the NRM");
                let at = ctx.later("victims.adults", field);
                ctx.report_hint(Code::CountMismatch, at, message, hint);
            }
        }
    }
    Nrm {
        referrals: n.referrals,
        positive_rg: n.positive_rg,
        positive_cg: n.positive_cg,
        dtn_ms1: n.dtn_ms1,
        declined: n.declined,
    }
}

fn sentences(ctx: &mut Ctx<'_>, raw: &RawCaseReview, offences: &[Offence]) -> Vec<Sentence> {
    let mut out = Vec::new();
    for (i, s) in raw.sentences.iter().flatten().enumerate() {
        let field = format!("sentences[{i}]");
        let offence = ctx.required(&format!("{field}.offence"), s.offence.clone());
        let months = ctx.required(&format!("{field}.custody_months"), s.custody_months);
        let Some(offence) = offence else { continue };
        let listed = raw
            .offences
            .iter()
            .flatten()
            .any(|o| o.code.as_deref() == Some(&offence));
        if !listed {
            let message = format!(
                "`{field}.offence` is `{offence}`, which is not one of the review's `offences`"
            );
            let hint =
                "add the offence to `offences` or correct the sentence's offence code".to_owned();
            ctx.report_hint(
                Code::SentenceOffence,
                &format!("{field}.offence"),
                message,
                hint,
            );
        } else if let Some(custody_months) = months
            && offences.iter().any(|o| o.code == offence)
        {
            out.push(Sentence {
                offence,
                custody_months,
            });
        }
    }
    out
}

fn agencies(ctx: &mut Ctx<'_>, raw: &RawCaseReview, lead: Option<&str>) -> Vec<Involvement> {
    let Some(list) = ctx.required("agencies", raw.agencies.as_ref()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, a) in list.iter().enumerate() {
        let code = ctx.req_term(VocabName::Agencies, &format!("agencies[{i}].code"), &a.code);
        let role = ctx.required_closed(&format!("agencies[{i}].role"), &a.role);
        if let (Some(code), Some(role)) = (code, role) {
            out.push(Involvement { code, role });
        }
    }
    let lead_listed = |lead: &str| {
        list.iter()
            .any(|a| a.code.as_deref() == Some(lead) && a.role.as_deref() == Some("lead"))
    };
    if let Some(lead) = lead.filter(|l| !lead_listed(l)) {
        let lead = one_line(lead);
        let message =
            format!("`lead_agency` is `{lead}` but `agencies` does not list it with role `lead`");
        let hint = format!("add `- {{code: {lead}, role: lead}}` to `agencies`");
        let field = ctx.later("lead_agency", "agencies");
        ctx.report_hint(Code::LeadAgencyNotListed, field, message, hint);
    }
    out
}

/// The review's learning points: `learning` checked, then `good_practice` (the earlier form)
/// read as `untested` points of all the review's themes, with a warning showing the new form.
fn learning(ctx: &mut Ctx<'_>, raw: &RawCaseReview, themes: &[String]) -> Vec<LearningPoint> {
    let mut out: Vec<LearningPoint> = Vec::new();
    for (i, l) in raw.learning.as_deref().unwrap_or(&[]).iter().enumerate() {
        if let Some(point) = learning_point(ctx, i, l, themes, &out) {
            out.push(point);
        }
    }
    let earlier = raw.good_practice.as_deref().unwrap_or(&[]);
    if !earlier.is_empty() {
        let first = themes.first().map_or("THEME", String::as_str);
        let message = "`good_practice` is an earlier form: read as learning points graded `untested` under every theme of the review".to_owned();
        let hint = format!(
            "write `learning:` with each point graded: `- {{id: L1, text: \"…\", themes: [{first}], grade: promising}}` (`evidence` for `effective` and `ineffective`)"
        );
        ctx.report_hint(Code::EarlierForm, "good_practice", message, hint);
    }
    for (i, text) in earlier.iter().enumerate() {
        if text.trim().is_empty() {
            continue;
        }
        out.push(LearningPoint {
            id: format!("G{}", i + 1),
            text: text.clone(),
            themes: themes.to_vec(),
            grade: LearningGrade::Untested,
            evidence: None,
        });
    }
    out
}

fn learning_point(
    ctx: &mut Ctx<'_>,
    i: usize,
    l: &RawLearning,
    themes: &[String],
    before: &[LearningPoint],
) -> Option<LearningPoint> {
    let field = format!("learning[{i}]");
    let id = ctx.required(&format!("{field}.id"), l.id.as_deref());
    if let Some(id) = id {
        let well_formed = id
            .strip_prefix('L')
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        if !well_formed {
            let message = format!(
                "`{field}.id` is `{}`; learning point ids are L1, L2, …",
                one_line(id)
            );
            ctx.report(Code::InvalidValue, &format!("{field}.id"), message);
        } else if before.iter().any(|p| p.id == id) {
            let message = format!(
                "learning point id `{}` is used twice in this review",
                one_line(id)
            );
            ctx.report(Code::DuplicateEntry, &format!("{field}.id"), message);
        }
    }
    let text = ctx.text(&format!("{field}.text"), &l.text);
    let point_themes = ctx.terms(
        VocabName::Themes,
        &format!("{field}.themes"),
        &l.themes,
        true,
    );
    // Against the review's own themes, when it has any (a missing or wrong `themes` is
    // reported on its own).
    for (j, t) in point_themes.iter().enumerate() {
        if !themes.is_empty() && !themes.contains(t) {
            let at = l
                .themes
                .as_deref()
                .and_then(|all| all.iter().position(|x| x == t))
                .unwrap_or(j);
            let message = format!(
                "learning point theme `{}` is not one of the review's `themes`",
                one_line(t)
            );
            let hint = format!(
                "add `{t}` to `themes`, or choose one of: {}",
                themes.join(", ")
            );
            ctx.report_hint(
                Code::LearningTheme,
                &format!("{field}.themes[{at}]"),
                message,
                hint,
            );
        }
    }
    let grade: Option<LearningGrade> = ctx.required_closed(&format!("{field}.grade"), &l.grade);
    let evidence = l
        .evidence
        .as_ref()
        .filter(|e| !e.trim().is_empty())
        .cloned();
    if let Some(g) = grade
        && g.needs_evidence()
        && evidence.is_none()
    {
        let message = format!(
            "learning point graded `{}` needs `evidence`: one sentence on what shows it {}",
            g.code(),
            if g == LearningGrade::Effective {
                "worked"
            } else {
                "did not work"
            }
        );
        let hint = "add `evidence: \"…\"`, or grade it `promising` or `untested` until it is shown"
            .to_owned();
        ctx.report_hint(
            Code::LearningEvidence,
            &format!("{field}.grade"),
            message,
            hint,
        );
    }
    Some(LearningPoint {
        id: id?.to_owned(),
        text: text?,
        themes: point_themes,
        grade: grade?,
        evidence,
    })
}

/// The other statutory reviews: type, title, board, a year not in the future and an https
/// address.
fn related_reviews(ctx: &mut Ctx<'_>, list: &[RawRelatedReview]) -> Vec<RelatedReview> {
    let mut out = Vec::new();
    for (i, r) in list.iter().enumerate() {
        let field = format!("related_reviews[{i}]");
        let kind: Option<RelatedReviewType> =
            ctx.required_closed(&format!("{field}.type"), &r.kind);
        let title = ctx.text(&format!("{field}.title"), &r.title);
        let board = ctx.text(&format!("{field}.board"), &r.board);
        let year = ctx
            .required(&format!("{field}.year"), r.year.as_ref())
            .copied();
        let this_year = ctx.today.year();
        if let Some(y) = year
            && (i64::from(y) > i64::from(this_year) || y < 1990)
        {
            let message = if i64::from(y) > i64::from(this_year) {
                format!("`{field}.year` is {y}, after this year ({this_year})")
            } else {
                format!("`{field}.year` is {y}, before any of these reviews existed")
            };
            ctx.report(Code::RelatedReview, &format!("{field}.year"), message);
        }
        let url = r.url.clone();
        if let Some(u) = &url
            && !u.starts_with("https://")
        {
            let message = format!(
                "`{field}.url` is `{}`; a related review's address must be https://",
                one_line(u)
            );
            ctx.report(Code::RelatedReview, &format!("{field}.url"), message);
        }
        if let (Some(kind), Some(title), Some(board), Some(year)) = (kind, title, board, year) {
            out.push(RelatedReview {
                kind,
                title,
                board,
                year,
                url: url.filter(|u| u.starts_with("https://")),
            });
        }
    }
    out
}

fn recommendations(ctx: &mut Ctx<'_>, list: &[RawRecommendation]) -> Vec<Recommendation> {
    let mut out: Vec<Recommendation> = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for (i, r) in list.iter().enumerate() {
        let field = format!("recommendations[{i}]");
        let id = ctx.required(&format!("{field}.id"), r.id.as_deref());
        if let Some(id) = id {
            let well_formed = id
                .strip_prefix('R')
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
            if !well_formed {
                let message = format!(
                    "`{field}.id` is `{}`; recommendation ids are R1, R2, …",
                    one_line(id)
                );
                ctx.report(Code::InvalidValue, &format!("{field}.id"), message);
            } else if seen.contains(&id) {
                let message = format!(
                    "recommendation id `{}` is used twice in this review",
                    one_line(id)
                );
                ctx.report(Code::DuplicateEntry, &format!("{field}.id"), message);
            }
            seen.push(id);
        }
        let text = ctx.text(&format!("{field}.text"), &r.text);
        let owner = ctx.req_term(VocabName::Agencies, &format!("{field}.owner"), &r.owner);
        let due = ctx.required(&format!("{field}.due"), r.due.as_ref());
        let due = due.and(ctx.month(&format!("{field}.due"), &r.due));
        let status: Option<RecommendationStatus> =
            ctx.required_closed(&format!("{field}.status"), &r.status);
        let (Some(id), Some(text), Some(owner), Some(due), Some(status)) =
            (id, text, owner, due, status)
        else {
            continue;
        };
        let open = matches!(
            status,
            RecommendationStatus::Open | RecommendationStatus::InProgress
        );
        let overdue = open && due < ctx.today.month();
        if overdue {
            let message = format!(
                "recommendation {id} (owner {owner}) is overdue: due {due}, status {}",
                status.code()
            );
            ctx.report(
                Code::RecommendationOverdue,
                &format!("{field}.due"),
                message,
            );
        }
        out.push(Recommendation {
            id: id.to_owned(),
            text,
            owner,
            due,
            status,
            overdue,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::date::Date;
    use crate::model::raw::{
        RawAgencyRole, RawInvestigation, RawNrm, RawOffence, RawPerpetrators, RawVictims,
    };
    use crate::model::source::Spans;
    use crate::model::vocab::{Term, Vocabulary};

    fn vocab() -> Vocabulary {
        let mut v = Vocabulary::default();
        v.add(
            VocabName::Agencies,
            Term {
                from: Some("2021-04".into()),
                succeeds: vec!["HFRS".into()],
                ..Term::new("HIWFRS", "Fire and rescue")
            },
        );
        v.add(
            VocabName::Agencies,
            Term {
                until: Some("2021-03".into()),
                ..Term::new("HFRS", "Hampshire fire (until March 2021)")
            },
        );
        let add = |v: &mut Vocabulary, name, codes: &[&str]| {
            for c in codes {
                v.add(name, Term::new(c, c));
            }
        };
        add(&mut v, VocabName::Agencies, &["HIOWC"]);
        add(&mut v, VocabName::Areas, &["portsmouth"]);
        add(&mut v, VocabName::Exploitation, &["sexual"]);
        add(&mut v, VocabName::Offences, &["MSA2015-s2"]);
        add(&mut v, VocabName::Offences, EARLIER_OFFENCES);
        add(&mut v, VocabName::Outcomes, &["convicted"]);
        add(&mut v, VocabName::ReferralSources, &["ngo"]);
        add(&mut v, VocabName::Themes, &["nrm-use"]);
        v
    }

    fn s(text: &str) -> Option<String> {
        Some(text.to_owned())
    }

    fn review() -> RawCaseReview {
        RawCaseReview {
            operation: s("Operation Test"),
            review_type: s("deep-dive"),
            lead_agency: s("HIOWC"),
            investigation: Some(RawInvestigation {
                start: s("2019-01"),
                end: s("2020-01"),
            }),
            review_date: s("2020-06-01"),
            areas: Some(vec!["portsmouth".into()]),
            exploitation: Some(vec!["sexual".into()]),
            offences: Some(vec![RawOffence {
                code: s("MSA2015-s2"),
                outcome: s("convicted"),
            }]),
            victims: Some(RawVictims {
                total: Some(5),
                adults: Some(3),
                children: Some(2),
                ..RawVictims::default()
            }),
            perpetrators: Some(RawPerpetrators {
                total: Some(1),
                ..RawPerpetrators::default()
            }),
            referral_source: s("ngo"),
            outcome: s("convicted"),
            agencies: Some(vec![RawAgencyRole {
                code: s("HIOWC"),
                role: s("lead"),
            }]),
            themes: Some(vec!["nrm-use".into()]),
            ..RawCaseReview::default()
        }
    }

    fn errors(raw: &RawCaseReview) -> Vec<(&'static str, String)> {
        let (vocab, spans) = (vocab(), Spans::default());
        let today = Date::parse("2026-11-29").expect("date");
        let mut ctx = Ctx::new("knowledge/reviews/CR-2020-001.md", &spans, &vocab, today);
        validate(&mut ctx, raw);
        ctx.diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| (d.code, d.field.clone().unwrap_or_default()))
            .collect()
    }

    fn hints(raw: &RawCaseReview) -> Vec<String> {
        let (vocab, spans) = (vocab(), Spans::default());
        let today = Date::parse("2026-11-29").expect("date");
        let mut ctx = Ctx::new("knowledge/reviews/CR-2020-001.md", &spans, &vocab, today);
        validate(&mut ctx, raw);
        ctx.diagnostics.into_iter().filter_map(|d| d.hint).collect()
    }

    #[test]
    fn a_valid_review_passes() {
        assert_eq!(errors(&review()), vec![]);
    }

    #[test]
    fn children_cannot_decline_and_ms1_is_for_adults() {
        let with = |declined, dtn| RawCaseReview {
            nrm: Some(RawNrm {
                referrals: Some(2),
                declined: Some(declined),
                dtn_ms1: Some(dtn),
                ..RawNrm::default()
            }),
            ..review()
        };
        assert_eq!(errors(&with(3, 3)), vec![]);
        assert_eq!(
            errors(&with(4, 0)),
            vec![("E033", "nrm.declined".to_owned())]
        );
        assert_eq!(
            errors(&with(0, 5)),
            vec![("E033", "nrm.dtn_ms1".to_owned())]
        );
    }

    /// Every diagnostic, warnings included, with its field and hint.
    fn findings(raw: &RawCaseReview) -> Vec<(&'static str, String, String)> {
        let (vocab, spans) = (vocab(), Spans::default());
        let today = Date::parse("2026-11-29").expect("date");
        let mut ctx = Ctx::new("knowledge/reviews/CR-2020-001.md", &spans, &vocab, today);
        validate(&mut ctx, raw);
        ctx.diagnostics
            .iter()
            .map(|d| {
                let field = d.field.clone().unwrap_or_default();
                (d.code, field, d.hint.clone().unwrap_or_default())
            })
            .collect()
    }

    #[test]
    fn an_agency_named_outside_its_years_is_a_warning_naming_the_other_body() {
        let with = |code: &str, start: &str, end: &str| RawCaseReview {
            investigation: Some(RawInvestigation {
                start: s(start),
                end: s(end),
            }),
            agencies: Some(vec![
                RawAgencyRole {
                    code: s("HIOWC"),
                    role: s("lead"),
                },
                RawAgencyRole {
                    code: s(code),
                    role: s("support"),
                },
            ]),
            ..review()
        };
        let early = with("HIWFRS", "2019-01", "2020-01");
        assert_eq!(errors(&early), vec![], "a warning never blocks a commit");
        assert_eq!(
            findings(&early),
            vec![(
                "W111",
                "agencies[1].code".to_owned(),
                "at the time this was `HFRS` (Hampshire fire (until March 2021))".to_owned()
            )]
        );
        assert_eq!(findings(&with("HFRS", "2019-01", "2020-01")), vec![]);
        assert_eq!(
            findings(&with("HIWFRS", "2020-06", "2021-08")),
            vec![],
            "ended after it was formed"
        );
        let later = RawCaseReview {
            review_date: s("2023-06-01"),
            ..with("HFRS", "2022-01", "2023-01")
        };
        assert_eq!(
            findings(&later),
            vec![(
                "W111",
                "agencies[1].code".to_owned(),
                "by then it was `HIWFRS` (Fire and rescue)".to_owned()
            )]
        );
    }

    #[test]
    fn msa_offences_cover_conduct_from_31_july_2015() {
        let earlier = || RawCaseReview {
            investigation: Some(RawInvestigation {
                start: s("2013-02"),
                end: s("2014-11"),
            }),
            review_date: s("2015-03-01"),
            ..review()
        };
        assert_eq!(
            errors(&earlier()),
            vec![("E053", "offences[0].code".to_owned())]
        );
        let hint = hints(&earlier()).join("\n");
        for code in [
            "NIAA2002-s145",
            "SOA2003-s58A",
            "SOA2003-s62",
            "CJA2009-s71",
        ] {
            assert!(hint.contains(code), "{code} missing from {hint:?}");
        }
        let charged_then = RawCaseReview {
            offences: Some(
                EARLIER_OFFENCES
                    .iter()
                    .map(|code| RawOffence {
                        code: s(code),
                        outcome: s("convicted"),
                    })
                    .collect(),
            ),
            ..earlier()
        };
        assert_eq!(errors(&charged_then), vec![]);
        // An investigation running past the commencement may include later conduct.
        let spanning = RawCaseReview {
            investigation: Some(RawInvestigation {
                start: s("2014-02"),
                end: s("2016-01"),
            }),
            ..review()
        };
        assert_eq!(errors(&spanning), vec![]);
    }
}
